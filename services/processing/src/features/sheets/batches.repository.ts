import { sql, type Kysely } from '@tributary/platform/db';
import type { ProcessingDb, TraderStatus } from '../../db/schema.js';
import { ALLOCATION_SUPPORT, ingredientTable, MATERIALS, type BatchTarget } from '../../domain/materials.js';

type Db = Kysely<ProcessingDb>;

const BATCH_TABLE = { blendsheet: 'blendsheet_batch', flavorsheet: 'flavorsheet_batch' } as const;

/** The blendsheet row locked (it serialises batch creation per sheet) and the highest batch ordinal made so far. */
export async function lockBlendsheetForBatch(db: Db, blendsheetNo: string) {
  const sheet = await db
    .selectFrom('blendsheet')
    .select(['no_of_batches', 'blend_code'])
    .where('blendsheet_no', '=', blendsheetNo)
    .forUpdate()
    .executeTakeFirst();
  if (!sheet) return undefined;
  const { made } = await db
    .selectFrom('blendsheet_batch')
    .select(sql<number>`coalesce(max(batch_no), 0)::int`.as('made'))
    .where('blendsheet_no', '=', blendsheetNo)
    .executeTakeFirstOrThrow();
  return { ...sheet, made };
}

/** The flavorsheet row locked, and the item code of its one batch when it has it. */
export async function lockFlavorsheetForBatch(db: Db, flavorsheetNo: string) {
  const sheet = await db
    .selectFrom('flavorsheet')
    .select('flavorsheet_no')
    .where('flavorsheet_no', '=', flavorsheetNo)
    .forUpdate()
    .executeTakeFirst();
  if (!sheet) return undefined;
  const existing = await db
    .selectFrom('flavorsheet_batch')
    .select('item_code')
    .where('flavorsheet_no', '=', flavorsheetNo)
    .executeTakeFirst();
  return { batchItemCode: existing?.item_code };
}

export async function insertBlendsheetBatch(
  db: Db,
  row: { item_code: string; created_ts: string; blendsheet_no: string; batch_no: number },
) {
  await db.insertInto('item').values({ item_code: row.item_code, created_ts: row.created_ts }).execute();
  await db
    .insertInto('blendsheet_batch')
    .values({ ...row, humidity: null, density: null, trader_status: null })
    .execute();
}

export async function insertFlavorsheetBatch(db: Db, row: { item_code: string; created_ts: string; flavorsheet_no: string }) {
  await db.insertInto('item').values({ item_code: row.item_code, created_ts: row.created_ts }).execute();
  await db.insertInto('flavorsheet_batch').values(row).execute();
}

const BATCH_SELECT = {
  blendsheet: sql`select b.item_code, b.created_ts, b.blendsheet_no, b.batch_no, b.completed, b.humidity, b.density, b.trader_status,
                         s.remarks, s.standard, s.total, s.blend_code
                    from blendsheet_batch b join blendsheet s on s.blendsheet_no = b.blendsheet_no`,
  flavorsheet: sql`select b.item_code, b.created_ts, b.flavorsheet_no, b.completed, f.remarks, f.flavor_code
                     from flavorsheet_batch b join flavorsheet f on f.flavorsheet_no = b.flavorsheet_no`,
};

/** Open batches (optionally of one item code), or one batch by its key, with the sheet columns each kind shows. */
export async function selectBatches(db: Db, target: BatchTarget, filter: { item_code?: string; created_ts?: string }) {
  const where =
    filter.item_code !== undefined && filter.created_ts !== undefined
      ? sql`b.item_code = ${filter.item_code} and b.created_ts = ${filter.created_ts}`
      : filter.item_code !== undefined
        ? sql`b.completed = false and b.item_code = ${filter.item_code}`
        : sql`b.completed = false`;
  const { rows } = await sql<Record<string, unknown>>`${BATCH_SELECT[target]} where ${where} order by b.created_ts, b.item_code`.execute(
    db,
  );
  return rows;
}

/** Ingredient allocations into one batch, per source material: `{tealine: [{barcode, amount}], …}`. */
export async function batchAllocations(db: Db, target: BatchTarget, itemCode: string, createdTs: string) {
  const sources = MATERIALS.filter((m) => ALLOCATION_SUPPORT[m].ingredientOf.includes(target));
  const entries = await Promise.all(
    sources.map(async (source) => {
      const { rows } = await sql<{ barcode: string; amount: string }>`
        select barcode, amount from ${sql.table(ingredientTable(source, target))}
         where item_code = ${itemCode} and created_ts = ${createdTs} order by allocated_at, barcode`.execute(db);
      return [source, rows] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** A batch row locked for a completion or QC update; flavorsheet batches have no trader status. */
export async function lockBatchForUpdate(db: Db, target: BatchTarget, itemCode: string, createdTs: string) {
  const { rows } = await sql<{
    completed: boolean;
    trader_status: TraderStatus | null;
    blendsheet_no: string | null;
    blend_code: string | null;
  }>`
    select b.completed,
           ${target === 'blendsheet' ? sql`b.trader_status, b.blendsheet_no, s.blend_code` : sql`null::text as trader_status, null::text as blendsheet_no, null::text as blend_code`}
      from ${sql.table(BATCH_TABLE[target])} b
      ${target === 'blendsheet' ? sql`join blendsheet s on s.blendsheet_no = b.blendsheet_no` : sql``}
     where b.item_code = ${itemCode} and b.created_ts = ${createdTs}
       for update of b`.execute(db);
  return rows[0];
}

export async function markBatchCompleted(db: Db, target: BatchTarget, itemCode: string, createdTs: string) {
  await sql`update ${sql.table(BATCH_TABLE[target])} set completed = true where item_code = ${itemCode} and created_ts = ${createdTs}`.execute(
    db,
  );
}

export async function recordBatchQc(db: Db, itemCode: string, createdTs: string, qc: { humidity: number; density: number }) {
  await db
    .updateTable('blendsheet_batch')
    .set({ humidity: qc.humidity, density: qc.density, trader_status: 'TRADER_PENDING' })
    .where('item_code', '=', itemCode)
    .where('created_ts', '=', createdTs)
    .execute();
}
