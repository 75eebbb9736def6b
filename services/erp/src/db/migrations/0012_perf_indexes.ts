import { sql } from 'kysely';
import type { Migration } from '@tributary/platform/migrate';
import { createIndex } from './ddl.js';

/**
 * Batches of an (item, warehouse) in FEFO picking order, so a pick plan reads the head of each
 * key with an index-ordered scan that stops after a page instead of ranking every usable batch
 * of the item. The older (item, warehouse, status, expiry_date) index is a prefix of this one
 * and goes, so a batch row write maintains one index rather than two.
 */
export const perfIndexes: Migration = {
  name: '0012_perf_indexes',
  up: async (db, context) => {
    const table = 'tabHD Batch Master';
    await createIndex(db, 'hd_batch_pick_idx', table, [
      'item',
      'warehouse',
      'status',
      'expiry_date',
      'manufacturing_date',
      'creation',
      'name',
    ]);
    if (context.dialect === 'mysql') await sql`drop index if exists hd_batch_item_wh_idx on ${sql.table(table)}`.execute(db);
    else await sql`drop index if exists hd_batch_item_wh_idx`.execute(db);
  },
};
