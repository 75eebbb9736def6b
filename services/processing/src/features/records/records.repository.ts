import { sql, type Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';
import { PARENT_TABLE, recordTable, type Material, type RecordStatus } from '../../domain/materials.js';

export interface LockedRecord {
  barcode: string;
  item_code: string;
  created_ts: string;
  status: RecordStatus;
  net: string;
  remaining: string;
  consumed: string;
}

/**
 * Locks one bag row (FOR UPDATE) and reads what every allocation rule needs. All writers that
 * consume a bag take this lock first, so their checks and inserts are serialised per bag.
 */
export async function lockRecord(db: Kysely<ProcessingDb>, material: Material, barcode: string): Promise<LockedRecord | undefined> {
  // One round trip: lock_<t>_record locks the row, then sums on a snapshot taken after the lock (migration 0004).
  const { rows } = await sql<LockedRecord>`
    select barcode::text, item_code, created_ts, status, net, remaining, consumed from ${sql.raw(`lock_${material}_record`)}(${barcode}::uuid)`.execute(
    db,
  );
  return rows[0];
}

export async function updateRecordStatus(
  db: Kysely<ProcessingDb>,
  material: Material,
  barcode: string,
  status: RecordStatus,
  remaining: string,
): Promise<void> {
  await sql`update ${sql.table(recordTable(material))} set status = ${status}, remaining = ${remaining} where barcode = ${barcode}`.execute(
    db,
  );
}

/** Returns the location the bag was in. */
export async function moveRecordRow(db: Kysely<ProcessingDb>, material: Material, barcode: string, location: string): Promise<string> {
  const { rows } = await sql<{ from: string }>`
    update ${sql.table(recordTable(material))} r set store_location = ${location}
      from ${sql.table(recordTable(material))} old where old.barcode = r.barcode and r.barcode = ${barcode}
    returning old.store_location as "from"`.execute(db);
  return rows[0]!.from;
}

export interface InsertedRecord {
  item_code: string;
  created_ts: string;
  id: number;
  received_ts: string;
  barcode: string;
}

export async function insertRecord(
  db: Kysely<ProcessingDb>,
  material: Material,
  values: {
    item_code: string;
    created_ts: string;
    store_location: string;
    gross_weight: string;
    bag_weight: string;
    received_ts: string;
    reference?: string;
  },
): Promise<InsertedRecord> {
  const reference = material === 'herbline' ? sql`, reference` : sql``;
  const referenceValue = material === 'herbline' ? sql`, ${values.reference ?? ''}` : sql``;
  // bag_no, status and remaining are set by the insert triggers (parent lock, record_status).
  const { rows } = await sql<InsertedRecord>`
    insert into ${sql.table(recordTable(material))} (item_code, created_ts, bag_no, store_location, gross_weight, bag_weight, received_ts, status, remaining ${reference})
    values (${values.item_code}, ${values.created_ts}, 1, ${values.store_location}, ${values.gross_weight}, ${values.bag_weight}, ${values.received_ts}, 'ACCEPTED', 0 ${referenceValue})
    returning item_code, created_ts, bag_no as id, received_ts, barcode`.execute(db);
  return rows[0]!;
}

/** Parent columns joined into scan answers (blend batches also bring their sheet's columns). */
const PARENT_COLUMNS: Record<Material, string> = {
  tealine: 'p.invoice_no, p.grade, p.no_of_bags, p.weight_per_bag, p.broker, p.garden, p.purchase_order',
  herbline: 'p.item_name, p.purchase_order, p.weight',
  blendbalance: 'p.blend_code, p.transfer_id, p.weight',
  blendsheet:
    'p.blendsheet_no, p.batch_no, p.completed, p.humidity, p.density, p.trader_status, s.standard, s.grade, s.remarks, s.blend_code',
  flavorsheet: 'p.flavorsheet_no, p.completed, s.flavor_code, s.remarks',
};

const SHEET_JOIN: Record<Material, string> = {
  tealine: '',
  herbline: '',
  blendbalance: '',
  blendsheet: 'join blendsheet s on s.blendsheet_no = p.blendsheet_no',
  flavorsheet: 'join flavorsheet s on s.flavorsheet_no = p.flavorsheet_no',
};

export type ScanRow = Record<string, unknown> & {
  barcode: string;
  status: RecordStatus;
  net_weight: string;
  allocated: string;
  stored_remaining: string;
};

/** scan_record(table, barcode): the bag, its parent, and Σ non-parcel allocations. */
export async function scanRecord(db: Kysely<ProcessingDb>, material: Material, barcode: string): Promise<ScanRow | undefined> {
  const { rows } = await sql<ScanRow>`
    select ${sql.raw(PARENT_COLUMNS[material])},
           r.barcode, r.item_code, r.created_ts, r.bag_no as id, r.received_ts, r.store_location, r.bag_weight, r.gross_weight,
           ${material === 'herbline' ? sql`r.reference,` : sql``}
           r.status, r.remaining as stored_remaining, r.gross_weight - r.bag_weight as net_weight,
           ${sql.raw(`${material}_consumed`)}(r.barcode) as allocated,
           (extract(epoch from r.dispatched_at) * 1000)::bigint as dispatched_ts
      from ${sql.table(recordTable(material))} r
      join ${sql.table(PARENT_TABLE[material])} p on p.item_code = r.item_code and p.created_ts = r.created_ts
      ${sql.raw(SHEET_JOIN[material])}
     where r.barcode = ${barcode}`.execute(db);
  return rows[0];
}
