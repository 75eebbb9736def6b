import type { Kysely } from '@tributary/platform/db';
import type { ProcessingDb, TraderStatus } from '../../db/schema.js';

export async function traderBatches(db: Kysely<ProcessingDb>, traderStatus: TraderStatus) {
  return db
    .selectFrom('blendsheet_batch as b')
    .innerJoin('blendsheet as s', 's.blendsheet_no', 'b.blendsheet_no')
    .select(['b.item_code', 'b.created_ts', 'b.blendsheet_no', 'b.humidity', 'b.density', 'b.trader_status', 's.blend_code', 's.remarks'])
    .where('b.trader_status', '=', traderStatus)
    .orderBy('b.created_ts')
    .orderBy('b.item_code')
    .execute();
}

/** The batch row locked for a trader decision, with its sheet's blend code for the event. */
export async function lockBatchForTrader(db: Kysely<ProcessingDb>, itemCode: string, createdTs: string) {
  return db
    .selectFrom('blendsheet_batch as b')
    .innerJoin('blendsheet as s', 's.blendsheet_no', 'b.blendsheet_no')
    .select(['b.trader_status', 'b.blendsheet_no', 's.blend_code'])
    .where('b.item_code', '=', itemCode)
    .where('b.created_ts', '=', createdTs)
    .forUpdate('b')
    .executeTakeFirst();
}

export async function setBatchTraderStatus(db: Kysely<ProcessingDb>, itemCode: string, createdTs: string, status: TraderStatus) {
  await db
    .updateTable('blendsheet_batch')
    .set({ trader_status: status })
    .where('item_code', '=', itemCode)
    .where('created_ts', '=', createdTs)
    .execute();
}
