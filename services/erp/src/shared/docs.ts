import { randomBytes } from 'node:crypto';

/** Frappe's standard columns for a new document. */
export function newDoc(name: string, now: number, user: string | undefined) {
  const at = new Date(now);
  return { name, creation: at, modified: at, modified_by: user ?? null, owner: user ?? null, docstatus: 0, idx: 0 };
}

export function touched(now: number, user: string | undefined) {
  return { modified: new Date(now), modified_by: user ?? null };
}

/** Frappe-like generated names (`HD-BMV-…`) where the doctype has no natural key. */
export function generatedName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36).toUpperCase()}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** Limit/offset paging that tells whether more rows exist by asking for one extra. */
export function pageOf<T>(rows: T[], limit: number, offset: number) {
  return { data: rows.slice(0, limit), limit, offset, hasMore: rows.length > limit };
}

/** What `selectPage` needs of a query builder (Kysely's select builders have it). */
interface PagedSelect<R> {
  limit(limit: number): PagedSelect<R>;
  offset(offset: number): PagedSelect<R>;
  execute(): Promise<R[]>;
}

/** The rows of one page of an ordered select, with the one extra row `pageOf` reads `hasMore` from. */
export async function selectPage<R>(select: PagedSelect<R>, paging: { limit: number; offset: number }): Promise<R[]> {
  return select
    .limit(paging.limit + 1)
    .offset(paging.offset)
    .execute();
}
