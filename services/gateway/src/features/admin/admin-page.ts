/** What every admin listing's repository answers: one page of rows and the total that match. */
export type Lister<F, R> = (filters: F, page: number, limit: number) => Promise<{ items: R[]; total: number }>;

/**
 * One page of an admin listing: the query's paging goes to the repository, the rest of it are
 * the filters, and each row is answered in its public form.
 */
export async function adminPage<Q extends { page: number; limit: number }, R, O>(
  query: Q,
  list: Lister<Omit<Q, 'page' | 'limit'>, R>,
  toPublic: (row: R) => O,
) {
  const { page, limit, ...filters } = query;
  const { items, total } = await list(filters, page, limit);
  return { items: items.map(toPublic), page, limit, total };
}
