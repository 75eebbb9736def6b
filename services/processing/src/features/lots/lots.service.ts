import type { CommandContext } from '@tributary/platform/command';
import { parseKg, kg, RECIPE_WEIGHT_MAX, apiRow } from '../../domain/values.js';
import { emit, itemAggregate, ProcessingEvents } from '../../events.js';
import { ProcessingError } from '../../errors.js';
import { listRecordsOf } from '../records/record-list.repository.js';
import { runCommand, type FeatureDeps } from '../deps.js';
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

type LotRow =
  | { kind: 'tealine'; values: TealineInput }
  | { kind: 'herbline'; values: HerblineInput }
  | { kind: 'blendbalance'; values: BlendbalanceInput };

/** Creates the item and its lot in one transaction; the server chooses created_ts. */
export async function createLot(deps: FeatureDeps, actor: CommandContext, lot: LotRow): Promise<{ item_code: string; created_ts: number }> {
  const createdTs = String(deps.clock.now());
  const itemCode = lot.values.item_code;
  const orNull = (value: string | null | undefined) => value ?? null;
  // Validate (weights) before the transaction: bad input never reaches the database.
  const row =
    lot.kind === 'tealine'
      ? {
          kind: lot.kind,
          values: {
            item_code: itemCode,
            created_ts: createdTs,
            invoice_no: orNull(lot.values.invoice_no),
            grade: orNull(lot.values.grade),
            no_of_bags: lot.values.no_of_bags,
            weight_per_bag: kg(parseKg(lot.values.weight_per_bag, 'weight_per_bag')),
            broker: orNull(lot.values.broker),
            garden: orNull(lot.values.garden),
            purchase_order: orNull(lot.values.purchase_order),
          },
        }
      : lot.kind === 'herbline'
        ? {
            kind: lot.kind,
            values: {
              item_code: itemCode,
              created_ts: createdTs,
              item_name: lot.values.item_name,
              purchase_order: orNull(lot.values.purchase_order),
              weight:
                lot.values.weight === undefined || lot.values.weight === null
                  ? null
                  : kg(parseKg(lot.values.weight, 'weight', { max: RECIPE_WEIGHT_MAX })),
            },
          }
        : {
            kind: lot.kind,
            values: {
              item_code: itemCode,
              created_ts: createdTs,
              blend_code: lot.values.blend_code,
              transfer_id: lot.values.transfer_id,
              weight: kg(parseKg(lot.values.weight, 'weight', { max: RECIPE_WEIGHT_MAX })),
            },
          };
  await runCommand(deps, actor, async (trx) => {
    await insertItem(trx, itemCode, createdTs);
    if (row.kind === 'tealine') await trx.insertInto('tealine').values(row.values).execute();
    else if (row.kind === 'herbline') await trx.insertInto('herbline').values(row.values).execute();
    else await trx.insertInto('blendbalance').values(row.values).execute();
    await emit(trx, [
      {
        ...itemAggregate('lot', itemCode, createdTs),
        type: ProcessingEvents.lotCreated,
        payload: { table: lot.kind, ...row.values, created_ts: Number(createdTs) },
      },
    ]);
  });
  return { item_code: itemCode, created_ts: Number(createdTs) };
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
    if (!lot) throw ProcessingError.LOT_NOT_FOUND(`${kind} ${query.item_code}/${query.created_ts} does not exist`);
    const records = await listRecordsOf(deps.db, kind, query.item_code, query.created_ts);
    const record_list =
      kind === 'herbline'
        ? records.map(({ received_ts, store_location, bag_weight, gross_weight, reference, barcode, remaining, id }) => ({
            id,
            received_ts,
            store_location,
            bag_weight,
            gross_weight,
            reference,
            barcode,
            remaining,
          }))
        : records.map(({ id, received_ts, store_location, bag_weight, gross_weight, barcode, status }) => ({
            id,
            received_ts,
            store_location,
            bag_weight,
            gross_weight,
            barcode,
            status,
          }));
    return { ...apiRow(lot), record_list };
  }
  const lots = await listLots(deps.db, kind, {
    ...(query.item_code ? { itemCode: query.item_code } : {}),
    ...(query.created_ts ? { createdTs: query.created_ts } : {}),
    incompleteOnly,
  });
  return lots.map((row) => pick(row, LIST_FIELDS[kind]));
}
