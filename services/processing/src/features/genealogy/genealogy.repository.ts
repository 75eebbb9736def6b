import { sql, type Kysely } from '@tributary/platform/db';
import type { RawBuilder } from 'kysely';
import type { ProcessingDb } from '../../db/schema.js';
import {
  ALLOCATION_SUPPORT,
  consumptionTables,
  ingredientTable,
  MATERIALS,
  parcelTable,
  recordTable,
  SHIPPABLE,
  shipmentTable,
  type BatchTarget,
  type Material,
} from '../../domain/materials.js';

/**
 * Every read the trace needs, each taking a whole frontier of keys and answering in one round
 * trip (a union over the material tables), so a trace costs a few queries per level whatever
 * the number of bags. Keys are chunked to stay far below the driver's parameter limit.
 */
type Db = Kysely<ProcessingDb>;

export type LotMaterial = 'tealine' | 'herbline' | 'blendbalance';
export const LOT_MATERIALS: readonly LotMaterial[] = ['tealine', 'herbline', 'blendbalance'];
export const BATCH_TARGETS: readonly BatchTarget[] = ['blendsheet', 'flavorsheet'];

export interface ItemKey {
  item_code: string;
  created_ts: string;
}
export interface LotKey extends ItemKey {
  material: LotMaterial;
}
export interface BatchKey extends ItemKey {
  target: BatchTarget;
}
export interface BagKey {
  material: Material;
  barcode: string;
}
export interface ShipmentKey {
  request_code: string;
  shipment_code: number;
}

export interface LotRow extends LotKey {
  invoice_no: string | null;
  garden: string | null;
  broker: string | null;
  grade: string | null;
  name: string | null;
}
export interface BatchRow extends BatchKey {
  sheet_no: string;
  batch_no: number | null;
  completed: boolean;
  trader_status: string | null;
}
export interface BagRow extends BagKey, ItemKey {
  bag_no: number;
  net: string;
  allocated: string;
  received_ts: string;
  status: string;
  store_location: string;
}
export interface IngredientRow extends BagKey, BatchKey {
  amount: string;
}
export interface ShipmentAllocationRow extends BagKey, ShipmentKey {
  amount: string;
  allocated_ms: string;
}
export interface ParcelRow extends ShipmentAllocationRow {
  schedule_code: string;
}
export interface VehicleRow extends ShipmentKey {
  vehicle: string;
  dispatched_ms: string;
}

const CHUNK = 500;

async function chunked<K, R>(keys: readonly K[], read: (part: readonly K[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await read(keys.slice(i, i + CHUNK))));
  return out;
}

async function unionOf<R>(db: Db, parts: RawBuilder<unknown>[]): Promise<R[]> {
  if (parts.length === 0) return [];
  const { rows } = await sql<R>`${sql.join(parts, sql` union all `)}`.execute(db);
  return rows;
}

const itemKeys = (keys: readonly ItemKey[]) => sql.join(keys.map((k) => sql`(${k.item_code}::text, ${k.created_ts}::bigint)`));
const barcodes = (keys: readonly BagKey[]) => sql.join(keys.map((k) => sql`${k.barcode}::uuid`));
const shipmentKeys = (keys: readonly ShipmentKey[]) =>
  sql.join(keys.map((k) => sql`(${k.request_code}::bigint, ${k.shipment_code}::integer)`));
const byMaterial = <K extends { material: Material }>(keys: readonly K[], material: Material) =>
  keys.filter((k) => k.material === material);

/** `allocated` is what scan_record counts as consumed (ingredients and shipments, never parcels). */
const bagColumns = (material: Material) => {
  const consumed = consumptionTables(material).map(
    (table) => sql`coalesce((select sum(c.amount) from ${sql.table(table)} c where c.barcode = r.barcode), 0)`,
  );
  return sql`select ${material}::text as material, cast(r.barcode as text) as barcode, r.item_code, cast(r.created_ts as text) as created_ts, r.bag_no,
       cast(r.gross_weight - r.bag_weight as text) as net, cast(${sql.join([...consumed, sql`0`], sql` + `)} as text) as allocated,
       cast(r.received_ts as text) as received_ts, r.status, r.store_location
     from ${sql.table(recordTable(material))} r`;
};

/** Lots named by item code, or (tealine) by invoice number, garden or broker. */
export async function findLots(
  db: Db,
  filter: { itemCode?: string; invoice?: readonly string[]; garden?: readonly string[]; broker?: readonly string[] },
): Promise<LotRow[]> {
  const parts: RawBuilder<unknown>[] = [];
  if (filter.itemCode !== undefined) {
    for (const material of LOT_MATERIALS) parts.push(sql`${lotColumns(material)} where item_code = ${filter.itemCode}`);
  }
  const tea: RawBuilder<unknown>[] = [];
  if (filter.invoice?.length) tea.push(sql`invoice_no in (${sql.join([...filter.invoice])})`);
  if (filter.garden?.length) tea.push(sql`garden in (${sql.join([...filter.garden])})`);
  if (filter.broker?.length) tea.push(sql`broker in (${sql.join([...filter.broker])})`);
  if (tea.length) parts.push(sql`${lotColumns('tealine')} where ${sql.join(tea, sql` or `)}`);
  return unionOf<LotRow>(db, parts);
}

function lotColumns(material: LotMaterial): RawBuilder<unknown> {
  const specific =
    material === 'tealine'
      ? sql`invoice_no, garden, broker, grade, cast(null as text) as name`
      : material === 'herbline'
        ? sql`cast(null as text) as invoice_no, cast(null as text) as garden, cast(null as text) as broker, cast(null as text) as grade, item_name as name`
        : sql`cast(null as text) as invoice_no, cast(null as text) as garden, cast(null as text) as broker, cast(null as text) as grade, blend_code as name`;
  return sql`select ${material}::text as material, item_code, cast(created_ts as text) as created_ts, ${specific} from ${sql.table(material)}`;
}

export function lotsByKey(db: Db, keys: readonly LotKey[]): Promise<LotRow[]> {
  return chunked(keys, (part) =>
    unionOf<LotRow>(
      db,
      LOT_MATERIALS.filter((m) => byMaterial(part, m).length).map(
        (m) => sql`${lotColumns(m)} where (item_code, created_ts) in (${itemKeys(byMaterial(part, m))})`,
      ),
    ),
  );
}

const batchColumns = (target: BatchTarget) =>
  target === 'blendsheet'
    ? sql`select 'blendsheet'::text as target, item_code, cast(created_ts as text) as created_ts, blendsheet_no as sheet_no, batch_no, completed, trader_status from blendsheet_batch`
    : sql`select 'flavorsheet'::text as target, item_code, cast(created_ts as text) as created_ts, flavorsheet_no as sheet_no, cast(null as integer) as batch_no, completed, cast(null as text) as trader_status from flavorsheet_batch`;

export function findBatches(db: Db, itemCode: string): Promise<BatchRow[]> {
  return unionOf<BatchRow>(
    db,
    BATCH_TARGETS.map((t) => sql`${batchColumns(t)} where item_code = ${itemCode}`),
  );
}

export function batchesByKey(db: Db, keys: readonly BatchKey[]): Promise<BatchRow[]> {
  return chunked(keys, (part) =>
    unionOf<BatchRow>(
      db,
      BATCH_TARGETS.filter((t) => part.some((k) => k.target === t)).map(
        (t) => sql`${batchColumns(t)} where (item_code, created_ts) in (${itemKeys(part.filter((k) => k.target === t))})`,
      ),
    ),
  );
}

export function bagsByBarcode(db: Db, keys: readonly BagKey[]): Promise<BagRow[]> {
  return chunked(keys, (part) =>
    unionOf<BagRow>(
      db,
      MATERIALS.filter((m) => byMaterial(part, m).length).map(
        (m) => sql`${bagColumns(m)} where r.barcode in (${barcodes(byMaterial(part, m))})`,
      ),
    ),
  );
}

/** The bags received into lots, and the output bags of batches. */
export async function bagsOfParents(db: Db, lots: readonly LotKey[], batches: readonly BatchKey[]): Promise<BagRow[]> {
  const fromLots = await chunked(lots, (part) =>
    unionOf<BagRow>(
      db,
      LOT_MATERIALS.filter((m) => byMaterial(part, m).length).map(
        (m) => sql`${bagColumns(m)} where (r.item_code, r.created_ts) in (${itemKeys(byMaterial(part, m))})`,
      ),
    ),
  );
  const fromBatches = await chunked(batches, (part) =>
    unionOf<BagRow>(
      db,
      BATCH_TARGETS.filter((t) => part.some((k) => k.target === t)).map(
        (t) => sql`${bagColumns(t)} where (r.item_code, r.created_ts) in (${itemKeys(part.filter((k) => k.target === t))})`,
      ),
    ),
  );
  return [...fromLots, ...fromBatches];
}

const FEEDS: readonly { material: Material; target: BatchTarget }[] = MATERIALS.flatMap((material) =>
  ALLOCATION_SUPPORT[material].ingredientOf.map((target) => ({ material, target })),
);

const ingredientColumns = (material: Material, target: BatchTarget) =>
  sql`select ${material}::text as material, cast(barcode as text) as barcode, ${target}::text as target, item_code, cast(created_ts as text) as created_ts,
       cast(amount as text) as amount from ${sql.table(ingredientTable(material, target))}`;

/** Where bags went as ingredients. */
export function ingredientsOfBags(db: Db, keys: readonly BagKey[]): Promise<IngredientRow[]> {
  return chunked(keys, (part) =>
    unionOf<IngredientRow>(
      db,
      FEEDS.filter((f) => byMaterial(part, f.material).length).map(
        (f) => sql`${ingredientColumns(f.material, f.target)} where barcode in (${barcodes(byMaterial(part, f.material))})`,
      ),
    ),
  );
}

/** Every ingredient of the batches, whichever lot it came from (the denominators of a blend's shares). */
export function ingredientsOfBatches(db: Db, keys: readonly BatchKey[]): Promise<IngredientRow[]> {
  return chunked(keys, (part) =>
    unionOf<IngredientRow>(
      db,
      FEEDS.filter((f) => part.some((k) => k.target === f.target)).map(
        (f) =>
          sql`${ingredientColumns(f.material, f.target)} where (item_code, created_ts) in (${itemKeys(part.filter((k) => k.target === f.target))})`,
      ),
    ),
  );
}

const shipmentColumns = (material: Material) =>
  sql`select ${material}::text as material, cast(barcode as text) as barcode, cast(request_code as text) as request_code, shipment_code,
       cast(amount as text) as amount, cast(floor(extract(epoch from allocated_at) * 1000) as bigint) as allocated_ms
     from ${sql.table(shipmentTable(material))}`;

export function shipmentAllocationsOfBags(db: Db, keys: readonly BagKey[]): Promise<ShipmentAllocationRow[]> {
  return chunked(keys, (part) =>
    unionOf<ShipmentAllocationRow>(
      db,
      SHIPPABLE.filter((m) => byMaterial(part, m).length).map(
        (m) => sql`${shipmentColumns(m)} where barcode in (${barcodes(byMaterial(part, m))})`,
      ),
    ),
  );
}

export function shipmentAllocationsOfShipments(db: Db, keys: readonly ShipmentKey[]): Promise<ShipmentAllocationRow[]> {
  return chunked(keys, (part) =>
    unionOf<ShipmentAllocationRow>(
      db,
      SHIPPABLE.map((m) => sql`${shipmentColumns(m)} where (request_code, shipment_code) in (${shipmentKeys(part)})`),
    ),
  );
}

const parcelColumns = (material: Material) =>
  sql`select ${material}::text as material, cast(barcode as text) as barcode, cast(request_code as text) as request_code, shipment_code,
       cast(schedule_code as text) as schedule_code, cast(amount as text) as amount,
       cast(floor(extract(epoch from allocated_at) * 1000) as bigint) as allocated_ms
     from ${sql.table(parcelTable(material))}`;

export function parcelsOfBags(db: Db, keys: readonly BagKey[]): Promise<ParcelRow[]> {
  return chunked(keys, (part) =>
    unionOf<ParcelRow>(
      db,
      SHIPPABLE.filter((m) => byMaterial(part, m).length).map(
        (m) => sql`${parcelColumns(m)} where barcode in (${barcodes(byMaterial(part, m))})`,
      ),
    ),
  );
}

export function parcelsOfSchedules(db: Db, codes: readonly string[]): Promise<ParcelRow[]> {
  return chunked(codes, (part) =>
    unionOf<ParcelRow>(
      db,
      SHIPPABLE.map((m) => sql`${parcelColumns(m)} where schedule_code in (${sql.join(part.map((c) => sql`${c}::bigint`))})`),
    ),
  );
}

/** Vehicles come from processing's own completed dispatches (the orders side adds its events later). */
const vehicleColumns = sql`select cast(request_code as text) as request_code, shipment_code, shipment_vehicle as vehicle, cast(updated_at as text) as dispatched_ms
  from shipment_dispatch where state = 'completed'`;

export function vehiclesOfShipments(db: Db, keys: readonly ShipmentKey[]): Promise<VehicleRow[]> {
  return chunked(keys, (part) =>
    unionOf<VehicleRow>(db, [sql`${vehicleColumns} and (request_code, shipment_code) in (${shipmentKeys(part)})`]),
  );
}

export function shipmentsOfVehicles(db: Db, vehicles: readonly string[]): Promise<VehicleRow[]> {
  return chunked(vehicles, (part) => unionOf<VehicleRow>(db, [sql`${vehicleColumns} and shipment_vehicle in (${sql.join([...part])})`]));
}
