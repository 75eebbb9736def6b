import { asDynamic, type DialectName, type Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { addMonth, dropMonth, partitionMonths, type PartitionedTable } from '../../db/partitions.js';

const LEDGER = 'tabHD Batch Movement' as const;

export const monthsOf = (db: Kysely<ErpDatabase>, dialect: DialectName, t: PartitionedTable) => partitionMonths(asDynamic(db), dialect, t);

/** Makes the month's partition; PostgreSQL moves rows the default partition caught, so run it in a transaction. */
export const makeMonth = (db: Kysely<ErpDatabase>, dialect: DialectName, t: PartitionedTable, month: number) =>
  addMonth(asDynamic(db), dialect, t, month);

export const dropMonthPartition = (db: Kysely<ErpDatabase>, dialect: DialectName, t: PartitionedTable, month: number) =>
  dropMonth(asDynamic(db), dialect, t, month);

/**
 * Before movements older than `through` go: each batch that has some keeps the seq and balance
 * of its last one as its ledger opening, so the ledger check still proves the chain from there.
 */
export async function carryLedgerForward(trx: Kysely<ErpDatabase>, through: Date): Promise<number> {
  const last = await trx
    .selectFrom(`${LEDGER} as m`)
    .select(['m.batch_id', 'm.seq', 'm.qty_after'])
    .where('m.movement_date', '<', through)
    .where((eb) =>
      eb(
        'm.seq',
        '=',
        eb
          .selectFrom(`${LEDGER} as o`)
          .select((o) => o.fn.max('o.seq').as('seq'))
          .whereRef('o.batch_id', '=', 'm.batch_id')
          .where('o.movement_date', '<', through),
      ),
    )
    .orderBy('m.batch_id')
    .execute();
  for (let i = 0; i < last.length; i += 200) {
    const chunk = last.slice(i, i + 200);
    await trx
      .deleteFrom('hd_ledger_opening')
      .where(
        'batch_id',
        'in',
        chunk.map((r) => r.batch_id),
      )
      .execute();
    await trx
      .insertInto('hd_ledger_opening')
      .values(chunk.map((r) => ({ batch_id: r.batch_id, seq: Number(r.seq), balance: r.qty_after, through })))
      .execute();
  }
  return last.length;
}

export async function ledgerOpening(db: Kysely<ErpDatabase>, batch: string) {
  return db.selectFrom('hd_ledger_opening').select(['seq', 'balance', 'through']).where('batch_id', '=', batch).executeTakeFirst();
}
