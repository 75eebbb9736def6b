import { sql } from '@tributary/platform/db';
import type { OrdersDb, OrdersTrx } from '../../deps.js';

export interface ScheduleRow {
  schedule_code: string;
  schedule_date: string;
  order_code: string;
  shift: string;
  section: string;
  quantity: string;
  completed: boolean;
}

/** A schedule as every reader returns it (the date as the stored calendar date, whatever the driver). */
export const scheduleColumns = [
  'schedule_code',
  sql<string>`cast(schedule_date as text)`.as('schedule_date'),
  'order_code',
  'shift',
  'section',
  'quantity',
  'completed',
] as const;

export async function insertSchedule(
  trx: OrdersTrx,
  row: { schedule_date: string; order_code: string; shift: string; section: string; quantity: bigint; created_at: number },
): Promise<ScheduleRow> {
  return (await trx
    .insertInto('order_schedule')
    .values({ ...row, quantity: row.quantity.toString() })
    .returning(scheduleColumns)
    .executeTakeFirstOrThrow()) as ScheduleRow;
}

export async function lockSchedules(trx: OrdersTrx, codes: readonly string[]): Promise<Map<string, ScheduleRow>> {
  const sorted = [...new Set(codes)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  const rows = (await trx
    .selectFrom('order_schedule')
    .select(scheduleColumns)
    .where('schedule_code', 'in', sorted)
    .orderBy('schedule_code')
    .forUpdate()
    .execute()) as ScheduleRow[];
  return new Map(rows.map((row) => [String(row.schedule_code), row]));
}

export async function markCompleted(trx: OrdersTrx, code: string, now: number): Promise<ScheduleRow> {
  return (await trx
    .updateTable('order_schedule')
    .set({ completed: true, completed_at: now })
    .where('schedule_code', '=', code)
    .returning(scheduleColumns)
    .executeTakeFirstOrThrow()) as ScheduleRow;
}

/** Schedules in (schedule_date, schedule_code) order; with `page`, up to `limit` of them after the key `after`. */
export async function listSchedules(
  db: OrdersDb,
  filter: { date?: string; completed?: boolean },
  page?: { after?: readonly [string, string]; limit: number },
): Promise<ScheduleRow[]> {
  let query = db.selectFrom('order_schedule').select(scheduleColumns);
  if (filter.date !== undefined) query = query.where('schedule_date', '=', filter.date);
  if (filter.completed !== undefined) query = query.where('completed', '=', filter.completed);
  const after = page?.after;
  if (after !== undefined) {
    const [date, code] = after;
    query = query.where((eb) =>
      eb.or([eb('schedule_date', '>', date), eb.and([eb('schedule_date', '=', date), eb('schedule_code', '>', code)])]),
    );
  }
  if (page !== undefined) query = query.limit(page.limit);
  return (await query.orderBy('schedule_date').orderBy('schedule_code').execute()) as ScheduleRow[];
}

export async function acceptedShipments(
  db: OrdersDb,
  orderCodes: readonly string[],
): Promise<{ order_code: string; request_code: string; shipment_code: number }[]> {
  if (orderCodes.length === 0) return [];
  return db
    .selectFrom('order_shipment_event as e')
    .innerJoin('order_request as r', 'r.request_code', 'e.request_code')
    .select(['r.order_code', 'e.request_code', 'e.shipment_code'])
    .where('e.status', '=', 'SHIPMENT_ACCEPTED')
    .where('r.order_code', 'in', [...new Set(orderCodes)])
    .orderBy('e.request_code')
    .orderBy('e.shipment_code')
    .execute();
}
