import type { OrdersDb } from '../../deps.js';
import { scheduleColumns, type ScheduleRow } from '../schedules/schedules.repository.js';

export interface TracedShipmentRow {
  request_code: string;
  shipment_code: number;
  order_code: string;
  product_name: string;
  quantity: string;
  status: string;
  dispatched_ts: string | null;
  shipment_vehicle: string | null;
  accepted_ts: string | null;
  shipment_remarks: string | null;
}

export type TracedScheduleRow = ScheduleRow;

/** The shipments with their request and the two events a trace shows: dispatch (vehicle) and gatepass acceptance. */
export async function tracedShipments(
  db: OrdersDb,
  keys: readonly { request_code: string; shipment_code: number }[],
): Promise<TracedShipmentRow[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('order_shipment as s')
    .innerJoin('order_request as r', 'r.request_code', 's.request_code')
    .leftJoin('order_shipment_event as d', (join) =>
      join
        .onRef('d.request_code', '=', 's.request_code')
        .onRef('d.shipment_code', '=', 's.shipment_code')
        .on('d.status', '=', 'SHIPMENT_DISPATCHED'),
    )
    .leftJoin('order_shipment_event as a', (join) =>
      join
        .onRef('a.request_code', '=', 's.request_code')
        .onRef('a.shipment_code', '=', 's.shipment_code')
        .on('a.status', '=', 'SHIPMENT_ACCEPTED'),
    )
    .select([
      's.request_code',
      's.shipment_code',
      'r.order_code',
      'r.product_name',
      's.quantity',
      's.status',
      'd.event_ts as dispatched_ts',
      'd.shipment_vehicle',
      'a.event_ts as accepted_ts',
      'a.shipment_remarks',
    ])
    .where((eb) =>
      eb(
        eb.refTuple('s.request_code', 's.shipment_code'),
        'in',
        keys.map((key) => eb.tuple(key.request_code, key.shipment_code)),
      ),
    )
    .orderBy('s.request_code')
    .orderBy('s.shipment_code')
    .execute();
  return rows.map((row) => ({
    ...row,
    request_code: String(row.request_code),
    shipment_code: Number(row.shipment_code),
    quantity: String(row.quantity),
    dispatched_ts: row.dispatched_ts === null ? null : String(row.dispatched_ts),
    accepted_ts: row.accepted_ts === null ? null : String(row.accepted_ts),
  }));
}

export async function tracedSchedules(db: OrdersDb, codes: readonly string[]): Promise<TracedScheduleRow[]> {
  if (codes.length === 0) return [];
  // The same columns and cast as the schedules feature reads: numeric comes back as a string (the kernel's rule).
  return (await db
    .selectFrom('order_schedule')
    .select(scheduleColumns)
    .where('schedule_code', 'in', [...codes])
    .orderBy('schedule_code')
    .execute()) as ScheduleRow[];
}
