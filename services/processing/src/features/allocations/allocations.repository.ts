import { sql, type Kysely, type RawBuilder } from '@tributary/platform/db';
import type { OutboxRow } from '@tributary/platform/outbox';
import type { ProcessingDb } from '../../db/schema.js';
import { ingredientTable, parcelTable, recordTable, shipmentTable, type BatchTarget, type Material } from '../../domain/materials.js';

export interface ShipmentKey {
  barcode: string;
  request_code: number;
  shipment_code: number;
}

export interface IngredientKey {
  barcode: string;
  item_code: string;
  created_ts: string;
}

const shipmentKeyMatches = (key: ShipmentKey) =>
  sql`barcode = ${key.barcode} and request_code = ${key.request_code} and shipment_code = ${key.shipment_code}`;

const ingredientKeyMatches = (key: IngredientKey) =>
  sql`barcode = ${key.barcode} and item_code = ${key.item_code} and created_ts = ${key.created_ts}`;

export interface ShipmentAllocationOutcome {
  /** `OK`, or the refusal's stable code (nothing was written then). */
  outcome: string;
  total: string | null;
  available: string | null;
  trader_status: string | null;
}

/**
 * The whole shipment allocation in one statement (`allocate_<t>_shipment`, migration 0007): lock,
 * checks, upsert and the outbox rows; `with_total` rows get the allocation's new total in their payload.
 */
export async function allocateShipmentAtOnce(
  db: Kysely<ProcessingDb>,
  material: Material,
  key: ShipmentKey,
  amount: string,
  events: readonly (OutboxRow & { with_total: boolean })[],
): Promise<ShipmentAllocationOutcome> {
  const { rows } = await sql<ShipmentAllocationOutcome>`
    select outcome, total::text, available::text, trader_status
      from ${sql.raw(`allocate_${material}_shipment`)}(${key.barcode}::uuid, ${key.request_code}, ${key.shipment_code}, ${amount}::numeric, ${JSON.stringify(events)}::jsonb)`.execute(
    db,
  );
  return rows[0]!;
}

export async function upsertIngredientAllocation(
  db: Kysely<ProcessingDb>,
  material: Material,
  target: BatchTarget,
  key: IngredientKey,
  amount: string,
): Promise<{ amount: string }> {
  const table = sql.table(ingredientTable(material, target));
  const { rows } = await sql<{ amount: string }>`
    insert into ${table} as a (barcode, item_code, created_ts, amount)
    values (${key.barcode}, ${key.item_code}, ${key.created_ts}, ${amount})
    on conflict (barcode, item_code, created_ts) do update set amount = a.amount + excluded.amount, allocated_at = clock_timestamp()
    returning amount`.execute(db);
  return rows[0]!;
}

export async function lockShipmentAllocation(
  db: Kysely<ProcessingDb>,
  material: Material,
  key: ShipmentKey,
): Promise<{ amount: string; remaining: string } | undefined> {
  const { rows } = await sql<{ amount: string; remaining: string }>`
    select amount, remaining from ${sql.table(shipmentTable(material))} where ${shipmentKeyMatches(key)} for update`.execute(db);
  return rows[0];
}

/** The parcel trigger takes the amount off the shipment allocation's remaining. */
export async function upsertParcel(
  db: Kysely<ProcessingDb>,
  material: Material,
  key: ShipmentKey & { schedule_code: number },
  amount: string,
): Promise<{ amount: string }> {
  const table = sql.table(parcelTable(material));
  const { rows } = await sql<{ amount: string }>`
    insert into ${table} as p (barcode, request_code, shipment_code, schedule_code, amount)
    values (${key.barcode}, ${key.request_code}, ${key.shipment_code}, ${key.schedule_code}, ${amount})
    on conflict (barcode, request_code, shipment_code, schedule_code) do update set amount = p.amount + excluded.amount, allocated_at = clock_timestamp()
    returning amount`.execute(db);
  return rows[0]!;
}

export async function recordExists(db: Kysely<ProcessingDb>, material: Material, barcode: string): Promise<boolean> {
  const { rows } = await sql`select 1 from ${sql.table(recordTable(material))} where barcode = ${barcode}`.execute(db);
  return rows.length > 0;
}

export async function parcelCount(db: Kysely<ProcessingDb>, material: Material, key: ShipmentKey): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(parcelTable(material))} where ${shipmentKeyMatches(key)}`.execute(db);
  return rows[0]!.n;
}

export async function deleteShipmentAllocation(
  db: Kysely<ProcessingDb>,
  material: Material,
  key: ShipmentKey,
): Promise<string | undefined> {
  return deleteReturningAmount(db, shipmentTable(material), shipmentKeyMatches(key));
}

export async function deleteIngredientAllocation(
  db: Kysely<ProcessingDb>,
  material: Material,
  target: BatchTarget,
  key: IngredientKey,
): Promise<string | undefined> {
  return deleteReturningAmount(db, ingredientTable(material, target), ingredientKeyMatches(key));
}

async function deleteReturningAmount(
  db: Kysely<ProcessingDb>,
  table: string,
  keyMatches: RawBuilder<unknown>,
): Promise<string | undefined> {
  const { rows } = await sql<{ amount: string }>`delete from ${sql.table(table)} where ${keyMatches} returning amount`.execute(db);
  return rows[0]?.amount;
}

export async function batchState(
  db: Kysely<ProcessingDb>,
  target: BatchTarget,
  itemCode: string,
  createdTs: string,
): Promise<{ completed: boolean } | undefined> {
  const { rows } = await sql<{ completed: boolean }>`
    select completed from ${sql.table(`${target}_batch`)} where item_code = ${itemCode} and created_ts = ${createdTs} for share`.execute(
    db,
  );
  return rows[0];
}

export interface ShipmentAllocationRow {
  table: Material;
  barcode: string;
  request_code: string;
  shipment_code: number;
  amount: string;
  remaining: string;
}

export async function shipmentAllocations(
  db: Kysely<ProcessingDb>,
  materials: readonly Material[],
  requestCode: number,
  shipmentCode: number,
): Promise<ShipmentAllocationRow[]> {
  const parts = materials.map(
    (material) => sql`select ${material}::text as "table", barcode::text, request_code, shipment_code, amount, remaining, allocated_at
                        from ${sql.table(shipmentTable(material))} where request_code = ${requestCode} and shipment_code = ${shipmentCode}`,
  );
  const { rows } =
    await sql<ShipmentAllocationRow>`select * from (${sql.join(parts, sql` union all `)}) a order by allocated_at, "table", barcode`.execute(
      db,
    );
  return rows;
}

export async function parcelsOfSchedule(db: Kysely<ProcessingDb>, materials: readonly Material[], scheduleCode: number) {
  const parts = materials.map(
    (material) => sql`select barcode::text, request_code, shipment_code, schedule_code, amount, ${material}::text as tbl, allocated_at
                        from ${sql.table(parcelTable(material))} where schedule_code = ${scheduleCode}`,
  );
  const { rows } = await sql<{
    barcode: string;
    request_code: string;
    shipment_code: number;
    schedule_code: string;
    amount: string;
    tbl: string;
  }>`select barcode, request_code, shipment_code, schedule_code, amount, tbl from (${sql.join(parts, sql` union all `)}) p order by allocated_at, tbl, barcode`.execute(
    db,
  );
  return rows;
}
