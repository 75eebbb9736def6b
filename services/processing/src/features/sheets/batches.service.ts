import type { CommandContext } from '@tributary/platform/command';
import { sql, type Kysely } from '@tributary/platform/db';
import type { ProcessingDb, TraderStatus } from '../../db/schema.js';
import { ALLOCATION_SUPPORT, ingredientTable, MATERIALS, type BatchTarget } from '../../domain/materials.js';
import { apiRow } from '../../domain/values.js';
import { emit, itemAggregate, ProcessingEvents } from '../../events.js';
import { ProcessingError } from '../../errors.js';
import { listRecordsOf } from '../records/record-list.repository.js';
import { runCommand, userOf, type FeatureDeps } from '../deps.js';

/**
 * Batch item codes (the original's format is undocumented, ADR 0201): the sheet number, a
 * dash, `B` (blend) or `F` (flavour) and the batch's ordinal within its sheet, two digits at
 * least: `BS/2024/0192-B01`, `BS/2024/0192-B02`, `FS/2024/0007-F01`. Unique per sheet by the
 * (blendsheet_no, batch_no) key; created_ts makes the item key unique anyway.
 */
export function batchItemCode(sheetNo: string, kind: 'B' | 'F', ordinal: number): string {
  return `${sheetNo}-${kind}${String(ordinal).padStart(2, '0')}`;
}

export async function createBlendsheetBatch(deps: FeatureDeps, actor: CommandContext, blendsheetNo: string) {
  const createdTs = String(deps.clock.now());
  const result = await runCommand(deps, actor, async (trx) => {
    // The sheet's row lock serialises batch creation per sheet: the count below cannot go stale.
    const sheet = await trx
      .selectFrom('blendsheet')
      .select('no_of_batches')
      .where('blendsheet_no', '=', blendsheetNo)
      .forUpdate()
      .executeTakeFirst();
    if (!sheet) throw ProcessingError.BLENDSHEET_NOT_FOUND(`blendsheet ${blendsheetNo} does not exist`);
    const { made } = await trx
      .selectFrom('blendsheet_batch')
      .select(sql<number>`coalesce(max(batch_no), 0)::int`.as('made'))
      .where('blendsheet_no', '=', blendsheetNo)
      .executeTakeFirstOrThrow();
    if (made >= sheet.no_of_batches) {
      throw ProcessingError.BLENDSHEET_BATCH_LIMIT_REACHED(
        `blendsheet ${blendsheetNo} already has ${made} of ${sheet.no_of_batches} batches`,
        {
          details: { no_of_batches: sheet.no_of_batches, created_batches: made },
        },
      );
    }
    const itemCode = batchItemCode(blendsheetNo, 'B', made + 1);
    await trx.insertInto('item').values({ item_code: itemCode, created_ts: createdTs }).execute();
    await trx
      .insertInto('blendsheet_batch')
      .values({
        item_code: itemCode,
        created_ts: createdTs,
        blendsheet_no: blendsheetNo,
        batch_no: made + 1,
        humidity: null,
        density: null,
        trader_status: null,
      })
      .execute();
    await emit(trx, [
      {
        ...itemAggregate('batch', itemCode, createdTs),
        type: ProcessingEvents.batchCreated,
        payload: {
          table: 'blendsheet_batch',
          blendsheet_no: blendsheetNo,
          item_code: itemCode,
          created_ts: Number(createdTs),
          batch_no: made + 1,
        },
      },
    ]);
    return { blendsheet_no: blendsheetNo, item_code: itemCode, created_ts: Number(createdTs) };
  });
  return result;
}

export async function createFlavorsheetBatch(deps: FeatureDeps, actor: CommandContext, flavorsheetNo: string) {
  const createdTs = String(deps.clock.now());
  const itemCode = batchItemCode(flavorsheetNo, 'F', 1);
  const result = await runCommand(deps, actor, async (trx) => {
    const sheet = await trx
      .selectFrom('flavorsheet')
      .select('flavorsheet_no')
      .where('flavorsheet_no', '=', flavorsheetNo)
      .forUpdate()
      .executeTakeFirst();
    if (!sheet) throw ProcessingError.FLAVORSHEET_NOT_FOUND(`flavorsheet ${flavorsheetNo} does not exist`);
    const existing = await trx
      .selectFrom('flavorsheet_batch')
      .select('item_code')
      .where('flavorsheet_no', '=', flavorsheetNo)
      .executeTakeFirst();
    if (existing)
      throw ProcessingError.FLAVORSHEET_BATCH_EXISTS(`flavorsheet ${flavorsheetNo} already has its batch ${existing.item_code}`);
    await trx.insertInto('item').values({ item_code: itemCode, created_ts: createdTs }).execute();
    await trx
      .insertInto('flavorsheet_batch')
      .values({ item_code: itemCode, created_ts: createdTs, flavorsheet_no: flavorsheetNo })
      .execute();
    await emit(trx, [
      {
        ...itemAggregate('batch', itemCode, createdTs),
        type: ProcessingEvents.batchCreated,
        payload: { table: 'flavorsheet_batch', flavorsheet_no: flavorsheetNo, item_code: itemCode, created_ts: Number(createdTs) },
      },
    ]);
    return { flavorsheet_no: flavorsheetNo, item_code: itemCode, created_ts: Number(createdTs) };
  });
  return result;
}

/** Ingredient allocations into one batch, per source material: `{tealine: [{barcode, amount}], …}`. */
async function batchAllocations(db: Kysely<ProcessingDb>, target: BatchTarget, itemCode: string, createdTs: string) {
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

export async function readBlendsheetBatches(deps: FeatureDeps, query: { item_code?: string; created_ts?: string }) {
  const detail = query.item_code !== undefined && query.created_ts !== undefined;
  let select = deps.db
    .selectFrom('blendsheet_batch as b')
    .innerJoin('blendsheet as s', 's.blendsheet_no', 'b.blendsheet_no')
    .select([
      'b.item_code',
      'b.created_ts',
      'b.blendsheet_no',
      'b.batch_no',
      'b.completed',
      'b.humidity',
      'b.density',
      'b.trader_status',
      's.remarks',
      's.standard',
      's.total',
      's.blend_code',
    ])
    .orderBy('b.created_ts')
    .orderBy('b.item_code');
  if (detail) select = select.where('b.item_code', '=', query.item_code!).where('b.created_ts', '=', query.created_ts!);
  else select = select.where('b.completed', '=', false);
  if (!detail && query.item_code !== undefined) select = select.where('b.item_code', '=', query.item_code);
  const rows = (await select.execute()).map(apiRow);
  if (!detail) {
    return rows.map(({ item_code, created_ts, blendsheet_no, humidity, density, trader_status, remarks }) => ({
      item_code,
      created_ts,
      blendsheet_no,
      humidity,
      density,
      trader_status,
      remarks,
    }));
  }
  const batch = rows[0];
  if (!batch) throw ProcessingError.BATCH_NOT_FOUND(`blendsheet batch ${query.item_code}/${query.created_ts} does not exist`);
  const [record_list, allocations] = await Promise.all([
    listRecordsOf(deps.db, 'blendsheet', query.item_code!, query.created_ts!),
    batchAllocations(deps.db, 'blendsheet', query.item_code!, query.created_ts!),
  ]);
  return { ...batch, record_list, allocations };
}

export async function readFlavorsheetBatches(deps: FeatureDeps, query: { item_code?: string; created_ts?: string }) {
  const detail = query.item_code !== undefined && query.created_ts !== undefined;
  let select = deps.db
    .selectFrom('flavorsheet_batch as b')
    .innerJoin('flavorsheet as f', 'f.flavorsheet_no', 'b.flavorsheet_no')
    .select(['b.item_code', 'b.created_ts', 'b.flavorsheet_no', 'b.completed', 'f.remarks', 'f.flavor_code'])
    .orderBy('b.created_ts')
    .orderBy('b.item_code');
  if (detail) select = select.where('b.item_code', '=', query.item_code!).where('b.created_ts', '=', query.created_ts!);
  else select = select.where('b.completed', '=', false);
  if (!detail && query.item_code !== undefined) select = select.where('b.item_code', '=', query.item_code);
  const rows = (await select.execute()).map(apiRow);
  if (!detail)
    return rows.map(({ item_code, created_ts, flavorsheet_no, remarks }) => ({ item_code, created_ts, flavorsheet_no, remarks }));
  const batch = rows[0];
  if (!batch) throw ProcessingError.BATCH_NOT_FOUND(`flavorsheet batch ${query.item_code}/${query.created_ts} does not exist`);
  const [record_list, allocations] = await Promise.all([
    listRecordsOf(deps.db, 'flavorsheet', query.item_code!, query.created_ts!),
    batchAllocations(deps.db, 'flavorsheet', query.item_code!, query.created_ts!),
  ]);
  return { ...batch, record_list, allocations };
}

export interface BatchUpdate {
  item_code: string;
  created_ts: number | string;
  completed?: boolean;
  humidity?: number;
  density?: number;
}

/**
 * `PUT /app/{blendsheet|flavorsheet}/batch`: either the completion flag or (blend only) the QC
 * readings, which put the batch in front of the traders (TRADER_PENDING). Completion is final;
 * QC may be re-measured only until a trader request was raised.
 */
export async function updateBatch(deps: FeatureDeps, actor: CommandContext, target: BatchTarget, body: BatchUpdate) {
  const hasCompleted = body.completed !== undefined;
  const hasQc = body.humidity !== undefined || body.density !== undefined;
  if (
    hasCompleted === hasQc ||
    (hasQc && (body.humidity === undefined || body.density === undefined)) ||
    (hasQc && target === 'flavorsheet')
  ) {
    throw ProcessingError.BATCH_UPDATE_INVALID(
      target === 'flavorsheet' ? 'Send completed' : 'Send either completed, or humidity and density together',
    );
  }
  const createdTs = String(body.created_ts);
  const table = target === 'blendsheet' ? 'blendsheet_batch' : 'flavorsheet_batch';
  const result = await runCommand(deps, actor, async (trx) => {
    const { rows } = await sql<{ completed: boolean; trader_status: TraderStatus | null }>`
      select completed, ${target === 'blendsheet' ? sql`trader_status` : sql`null::text as trader_status`}
        from ${sql.table(table)} where item_code = ${body.item_code} and created_ts = ${createdTs} for update`.execute(trx);
    const batch = rows[0];
    if (!batch) throw ProcessingError.BATCH_NOT_FOUND(`${target} batch ${body.item_code}/${createdTs} does not exist`);
    const aggregate = itemAggregate('batch', body.item_code, createdTs);
    if (hasCompleted) {
      if (batch.completed && !body.completed) throw ProcessingError.BATCH_COMPLETED('A completed batch cannot be reopened');
      if (body.completed && !batch.completed) {
        await sql`update ${sql.table(table)} set completed = true where item_code = ${body.item_code} and created_ts = ${createdTs}`.execute(
          trx,
        );
        await emit(trx, [
          {
            ...aggregate,
            type: ProcessingEvents.batchCompleted,
            payload: { table, item_code: body.item_code, created_ts: Number(createdTs) },
          },
        ]);
      }
      return { item_code: body.item_code, created_ts: Number(createdTs), completed: body.completed! };
    }
    if (batch.trader_status !== null && batch.trader_status !== 'TRADER_PENDING') {
      throw ProcessingError.BATCH_QC_LOCKED(`QC readings are locked once the batch is ${batch.trader_status}`);
    }
    await trx
      .updateTable('blendsheet_batch')
      .set({ humidity: body.humidity!, density: body.density!, trader_status: 'TRADER_PENDING' })
      .where('item_code', '=', body.item_code)
      .where('created_ts', '=', createdTs)
      .execute();
    await emit(trx, [
      {
        ...aggregate,
        type: ProcessingEvents.batchQcRecorded,
        payload: { item_code: body.item_code, created_ts: Number(createdTs), humidity: body.humidity, density: body.density },
      },
      ...(batch.trader_status === null
        ? [
            {
              ...aggregate,
              type: ProcessingEvents.traderStatusChanged,
              payload: { item_code: body.item_code, created_ts: Number(createdTs), from: null, to: 'TRADER_PENDING', actor: userOf(actor) },
            },
          ]
        : []),
    ]);
    return { item_code: body.item_code, created_ts: Number(createdTs), humidity: body.humidity!, density: body.density! };
  });
  return result;
}
