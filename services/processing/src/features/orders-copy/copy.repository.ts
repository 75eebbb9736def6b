import type { Kysely, Selectable } from '@tributary/platform/db';
import type { OrdersShipmentCopyTable, ProcessingDb } from '../../db/schema.js';

export interface CopyEvent {
  status: string;
  timestamp: number;
  shipment_vehicle?: string | null;
}

export interface CopiedShipment {
  request_code: string;
  shipment_code: number;
  order_code: string;
  product_name: string;
  requirement: string;
  comments: string | null;
  quantity: string;
  status: string;
  events: CopyEvent[];
}

const TABLE = 'orders_shipment_copy';

export async function insertShipment(db: Kysely<ProcessingDb>, row: CopiedShipment, now: number): Promise<void> {
  await db
    .insertInto(TABLE)
    .values({ ...row, events: JSON.stringify(row.events), updated_at: now })
    .onConflict((c) =>
      c
        .columns(['request_code', 'shipment_code'])
        .doUpdateSet({ quantity: row.quantity, status: row.status, events: JSON.stringify(row.events), updated_at: now }),
    )
    .execute();
}

export async function findShipment(
  db: Kysely<ProcessingDb>,
  requestCode: string,
  shipmentCode: number,
): Promise<CopiedShipment | undefined> {
  const row = await db
    .selectFrom(TABLE)
    .selectAll()
    .where('request_code', '=', requestCode)
    .where('shipment_code', '=', shipmentCode)
    .forUpdate()
    .executeTakeFirst();
  return row ? toShipment(row) : undefined;
}

/** Whether orders' feed has told the copy about this shipment (a plain read: no lock). */
export async function copyHasShipment(db: Kysely<ProcessingDb>, requestCode: string, shipmentCode: number): Promise<boolean> {
  const row = await db
    .selectFrom(TABLE)
    .select('shipment_code')
    .where('request_code', '=', requestCode)
    .where('shipment_code', '=', shipmentCode)
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateShipment(
  db: Kysely<ProcessingDb>,
  requestCode: string,
  shipmentCode: number,
  change: { quantity?: string; status?: string; events?: CopyEvent[] },
  now: number,
): Promise<void> {
  await db
    .updateTable(TABLE)
    .set({
      ...(change.quantity !== undefined ? { quantity: change.quantity } : {}),
      ...(change.status !== undefined ? { status: change.status } : {}),
      ...(change.events !== undefined ? { events: JSON.stringify(change.events) } : {}),
      updated_at: now,
    })
    .where('request_code', '=', requestCode)
    .where('shipment_code', '=', shipmentCode)
    .execute();
}

/** The copy's dispatchable shipments, in (request, shipment) order like the live answer. */
export async function dispatchableCopies(db: Kysely<ProcessingDb>): Promise<CopiedShipment[]> {
  const rows = await db
    .selectFrom(TABLE)
    .selectAll()
    .where('status', '=', 'ORDER_READY')
    .orderBy('request_code')
    .orderBy('shipment_code')
    .execute();
  return rows.map(toShipment);
}

export async function touchState(db: Kysely<ProcessingDb>, field: 'last_event_at' | 'last_refresh_at', now: number): Promise<void> {
  await db
    .insertInto('orders_copy_state')
    .values({ id: 1, last_event_at: now, last_refresh_at: field === 'last_refresh_at' ? now : null })
    .onConflict((c) => c.column('id').doUpdateSet({ [field]: now }))
    .execute();
}

export async function copyState(db: Kysely<ProcessingDb>): Promise<{ lastEventAt: number | undefined; lastRefreshAt: number | undefined }> {
  const row = await db.selectFrom('orders_copy_state').selectAll().where('id', '=', 1).executeTakeFirst();
  return {
    lastEventAt: row ? Number(row.last_event_at) : undefined,
    lastRefreshAt: row?.last_refresh_at != null ? Number(row.last_refresh_at) : undefined,
  };
}

function toShipment(row: Selectable<OrdersShipmentCopyTable>): CopiedShipment {
  return {
    request_code: String(row.request_code),
    shipment_code: Number(row.shipment_code),
    order_code: row.order_code,
    product_name: row.product_name,
    requirement: trimKg(String(row.requirement)),
    comments: row.comments ?? null,
    quantity: trimKg(String(row.quantity)),
    status: row.status,
    events: JSON.parse(row.events) as CopyEvent[],
  };
}

/** numeric(16,3) reads back as "12.500"; orders answers "12.5". */
const trimKg = (value: string) => (value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value);
