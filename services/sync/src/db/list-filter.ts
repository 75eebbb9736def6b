import { sql, type SelectQueryBuilder, type StringReference } from 'kysely';

/** A page of a list: at most `limit` rows, those with an id below `beforeId` when it is given. */
export interface ListPage {
  limit: number;
  beforeId?: string;
}

/** Which column each filter field must equal. */
export type FilterColumns<DB, TB extends keyof DB, F> = { [K in Exclude<keyof F, keyof ListPage>]-?: StringReference<DB, TB> };

/**
 * The page of `query` that a filter asks for: each field that is set keeps the rows whose column
 * equals it (an unset or empty field keeps all), then the keyset page below `beforeId`.
 */
export function filteredPage<DB, TB extends keyof DB, O, F extends ListPage>(
  query: SelectQueryBuilder<DB, TB, O>,
  filter: F,
  columns: FilterColumns<DB, TB, F>,
): SelectQueryBuilder<DB, TB, O> {
  let narrowed = query.limit(filter.limit);
  for (const [field, column] of Object.entries(columns) as Array<[keyof F, string]>) {
    const value = filter[field];
    if (value) narrowed = narrowed.where(sql<boolean>`${sql.ref(column)} = ${value}`);
  }
  if (filter.beforeId) narrowed = narrowed.where(sql<boolean>`${sql.ref('id')} < ${filter.beforeId}`);
  return narrowed;
}
