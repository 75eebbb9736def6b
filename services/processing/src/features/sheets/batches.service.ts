import type { BatchTraderStatusChangedPayload } from '@tributary/contracts';
import type { CommandContext } from '@tributary/platform/command';
import type { BatchTarget } from '../../domain/materials.js';
import { apiRow } from '../../domain/values.js';
import { emit, itemAggregate, ProcessingEvents } from '../../events.js';
import { ProcessingError } from '../../errors.js';
import { listRecordsOf } from '../records/record-list.repository.js';
import { runCommand, userOf, type FeatureDeps } from '../deps.js';
import {
  batchAllocations,
  insertBlendsheetBatch,
  insertFlavorsheetBatch,
  lockBatchForUpdate,
  lockBlendsheetForBatch,
  lockFlavorsheetForBatch,
  markBatchCompleted,
  recordBatchQc,
  selectBatches,
} from './batches.repository.js';

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
    // The sheet's row lock serialises batch creation per sheet: the count cannot go stale.
    const sheet = await lockBlendsheetForBatch(trx, blendsheetNo);
    if (!sheet) throw ProcessingError.BLENDSHEET_NOT_FOUND(`blendsheet ${blendsheetNo} does not exist`);
    const { made } = sheet;
    if (made >= sheet.no_of_batches) {
      throw ProcessingError.BLENDSHEET_BATCH_LIMIT_REACHED(
        `blendsheet ${blendsheetNo} already has ${made} of ${sheet.no_of_batches} batches`,
        {
          details: { no_of_batches: sheet.no_of_batches, created_batches: made },
        },
      );
    }
    const itemCode = batchItemCode(blendsheetNo, 'B', made + 1);
    await insertBlendsheetBatch(trx, { item_code: itemCode, created_ts: createdTs, blendsheet_no: blendsheetNo, batch_no: made + 1 });
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
    const sheet = await lockFlavorsheetForBatch(trx, flavorsheetNo);
    if (!sheet) throw ProcessingError.FLAVORSHEET_NOT_FOUND(`flavorsheet ${flavorsheetNo} does not exist`);
    if (sheet.batchItemCode)
      throw ProcessingError.FLAVORSHEET_BATCH_EXISTS(`flavorsheet ${flavorsheetNo} already has its batch ${sheet.batchItemCode}`);
    await insertFlavorsheetBatch(trx, { item_code: itemCode, created_ts: createdTs, flavorsheet_no: flavorsheetNo });
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

/** What each sheet kind's incomplete-batch list shows of a batch (the detail shows every column). */
const LIST_COLUMNS: Record<BatchTarget, readonly string[]> = {
  blendsheet: ['item_code', 'created_ts', 'blendsheet_no', 'humidity', 'density', 'trader_status', 'remarks'],
  flavorsheet: ['item_code', 'created_ts', 'flavorsheet_no', 'remarks'],
};

/** `GET /app/{blendsheet|flavorsheet}/batch`: the incomplete batches, or one batch with its bags and ingredients. */
export async function readBatches(deps: FeatureDeps, target: BatchTarget, query: { item_code?: string; created_ts?: string }) {
  const rows = (await selectBatches(deps.db, target, query)).map(apiRow);
  if (query.item_code === undefined || query.created_ts === undefined) {
    return rows.map((row) => Object.fromEntries(LIST_COLUMNS[target].map((column) => [column, row[column]])));
  }
  const batch = rows[0];
  if (!batch) throw ProcessingError.BATCH_NOT_FOUND(`${target} batch ${query.item_code}/${query.created_ts} does not exist`);
  const [record_list, allocations] = await Promise.all([
    listRecordsOf(deps.db, target, query.item_code, query.created_ts),
    batchAllocations(deps.db, target, query.item_code, query.created_ts),
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
    const batch = await lockBatchForUpdate(trx, target, body.item_code, createdTs);
    if (!batch) throw ProcessingError.BATCH_NOT_FOUND(`${target} batch ${body.item_code}/${createdTs} does not exist`);
    const aggregate = itemAggregate('batch', body.item_code, createdTs);
    if (hasCompleted) {
      if (batch.completed && !body.completed) throw ProcessingError.BATCH_COMPLETED('A completed batch cannot be reopened');
      if (body.completed && !batch.completed) {
        await markBatchCompleted(trx, target, body.item_code, createdTs);
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
    await recordBatchQc(trx, body.item_code, createdTs, { humidity: body.humidity!, density: body.density! });
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
              payload: {
                item_code: body.item_code,
                created_ts: Number(createdTs),
                blendsheet_no: batch.blendsheet_no ?? undefined,
                blend_code: batch.blend_code,
                from: null,
                to: 'TRADER_PENDING',
                actor: userOf(actor),
              } satisfies BatchTraderStatusChangedPayload,
            },
          ]
        : []),
    ]);
    return { item_code: body.item_code, created_ts: Number(createdTs), humidity: body.humidity!, density: body.density! };
  });
  return result;
}
