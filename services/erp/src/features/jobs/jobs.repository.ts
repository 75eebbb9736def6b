import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';

/** The item × warehouse pairs that have reorder parameters: the ones the daily job recomputes. */
export async function optimisedPairs(db: Kysely<ErpDatabase>): Promise<{ item: string; warehouse: string }[]> {
  return db
    .selectFrom('tabHD Item Warehouse Optimization')
    .select(['item_code as item', 'warehouse'])
    .orderBy('item_code')
    .orderBy('warehouse')
    .execute();
}
