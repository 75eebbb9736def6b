import { notFound } from '@tributary/platform/core';
import { transact } from '../../db/errors.js';
import { parseKg, kg, RECIPE_WEIGHT_MAX, apiRow } from '../../domain/values.js';
import { emit, itemAggregate, ProcessingEvents, type EventActor } from '../../events.js';
import { ErrorCodes } from '../../errors.js';
import { listRecordsOf } from '../records/record-list.repository.js';
import type { FeatureDeps } from '../deps.js';
import { insertItem, listLots, type LotKind } from './lots.repository.js';

export interface TealineInput {
  item_code: string;
  invoice_no?: string | null;
  grade?: string | null;
  no_of_bags: number;
  weight_per_bag: number | string;
  broker?: string | null;
  garden?: string | null;
  purchase_order?: string | null;
}
export interface HerblineInput {
  item_code: string;
  item_name: string;
  purchase_order?: string | null;
  weight?: number | string | null;
}
export interface BlendbalanceInput {
  item_code: string;
  blend_code: string;
  transfer_id: string;
  weight: number | string;
}

type LotRow = { kind: 'tealine'; values: TealineInput } | { kind: 'herbline'; values: HerblineInput } | { kind: 'blendbalance'; values: BlendbalanceInput };

/** Creates the item and its lot in one transaction; the server chooses created_ts. */
export async function createLot(deps: FeatureDeps, actor: EventActor, lot: LotRow): Promise<{ item_code: string; created_ts: number }> {
  const createdTs = String(deps.clock.now());
  const itemCode = lot.values.item_code;
  const row = lotRow(lot, createdTs);
  await transact(deps.db, async (trx) => {
    await insertItem(trx, itemCode, createdTs);
    if (lot.kind === 'tealine') await trx.insertInto('tealine').values(row as never).execute();
    if (lot.kind === 'herbline') await trx.insertInto('herbline').values(row as never).execute();
    if (lot.kind === 'blendbalance') await trx.insertInto('blendbalance').values(row as never).execute();
    await emit(trx, actor, [{ ...itemAggregate('lot', itemCode, createdTs), type: ProcessingEvents.lotCreated, payload: { table: lot.kind, ...row } }]);
  });
  deps.eventsCommitted();
  return { item_code: itemCode, created_ts: Number(createdTs) };
}

/** Validated column values (weights exact, optional text null). */
function lotRow(lot: LotRow, createdTs: string): Record<string, unknown> {
  const orNull = (value: string | null | undefined) => value ?? null;
  switch (lot.kind) {
    case 'tealine': {
      const v = lot.values;
      return {
        item_code: v.item_code,
        created_ts: createdTs,
        invoice_no: orNull(v.invoice_no),
        grade: orNull(v.grade),
        no_of_bags: v.no_of_bags,
        weight_per_bag: kg(parseKg(v.weight_per_bag, 'weight_per_bag')),
        broker: orNull(v.broker),
        garden: orNull(v.garden),
        purchase_order: orNull(v.purchase_order),
      };
    }
    case 'herbline': {
      const v = lot.values;
      return {
        item_code: v.item_code,
        created_ts: createdTs,
        item_name: v.item_name,
        purchase_order: orNull(v.purchase_order),
        weight: v.weight === undefined || v.weight === null ? null : kg(parseKg(v.weight, 'weight', { max: RECIPE_WEIGHT_MAX })),
      };
    }
    case 'blendbalance': {
      const v = lot.values;
      return {
        item_code: v.item_code,
        created_ts: createdTs,
        blend_code: v.blend_code,
        transfer_id: v.transfer_id,
        weight: kg(parseKg(v.weight, 'weight', { max: RECIPE_WEIGHT_MAX })),
      };
    }
  }
}

const LIST_FIELDS: Record<LotKind, string[]> = {
  tealine: ['item_code', 'created_ts', 'broker', 'garden', 'purchase_order', 'grade', 'no_of_bags', 'received_bags'],
  herbline: ['item_code', 'created_ts', 'item_name', 'purchase_order', 'weight', 'received_bags', 'received_weight'],
  blendbalance: ['item_code', 'created_ts', 'blend_code', 'weight', 'transfer_id', 'received_bags', 'received_weight'],
};

function pick(row: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return apiRow(Object.fromEntries(fields.map((field) => [field, row[field]])));
}

/** "With parameters" (both keys) is the detail object; otherwise the (filtered) list. */
export async function readLots(
  deps: FeatureDeps,
  kind: LotKind,
  query: { item_code?: string; created_ts?: string },
  incompleteOnly: boolean,
): Promise<Record<string, unknown> | Record<string, unknown>[]> {
  if (query.item_code !== undefined && query.created_ts !== undefined) {
    const [lot] = await listLots(deps.db, kind, { itemCode: query.item_code, createdTs: query.created_ts });
    if (!lot) throw notFound(ErrorCodes.lotNotFound, `${kind} ${query.item_code}/${query.created_ts} does not exist`);
    const records = await listRecordsOf(deps.db, kind, query.item_code, query.created_ts);
    const record_list =
      kind === 'herbline'
        ? records.map(({ received_ts, store_location, bag_weight, gross_weight, reference, barcode, remaining, id }) => ({
            id, received_ts, store_location, bag_weight, gross_weight, reference, barcode, remaining,
          }))
        : records.map(({ id, received_ts, store_location, bag_weight, gross_weight, barcode, status }) => ({ id, received_ts, store_location, bag_weight, gross_weight, barcode, status }));
    return { ...apiRow(lot), record_list };
  }
  const lots = await listLots(deps.db, kind, { ...(query.item_code ? { itemCode: query.item_code } : {}), ...(query.created_ts ? { createdTs: query.created_ts } : {}), incompleteOnly });
  return lots.map((row) => pick(row, LIST_FIELDS[kind]));
}
