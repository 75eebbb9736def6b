import { sql } from '@tributary/platform/db';
import { OUTBOX_TABLE, type OutboxRow } from '@tributary/platform/outbox';
import type { OrdersDb, OrdersTrx } from '../../deps.js';

export interface RequestRow {
  request_code: string;
  order_code: string;
  product_name: string;
  requirement: string;
  comments: string | null;
}

export interface ShipmentRow {
  request_code: string;
  shipment_code: number;
  quantity: string;
  allocated: string;
  status: string;
}

export interface EventRow {
  request_code: string;
  shipment_code: number;
  status: string;
  event_ts: string;
  shipment_vehicle: string | null;
  order_remarks: string | null;
  shipment_remarks: string | null;
}

export interface ShipmentFilter {
  status?: string;
  since?: number;
  vehicle?: string;
  orderCode?: string;
  requestCode?: string;
  /** Exact shipments (request_code, shipment_code). */
  keys?: readonly (readonly [string, number])[];
  /** Only these requests. */
  requestCodes?: readonly string[];
}

const eventColumns = [
  'request_code',
  'shipment_code',
  'status',
  'event_ts',
  'shipment_vehicle',
  'order_remarks',
  'shipment_remarks',
] as const;
const shipmentColumns = ['s.request_code', 's.shipment_code', 's.quantity', 's.allocated', 's.status'] as const;

/**
 * Locks the requests a command touches, in ascending order. Every writer to a request's
 * shipments goes through here first, so splits and events on one request are serialised and
 * concurrent commands can never lock in opposite orders.
 */
export async function lockRequests(trx: OrdersTrx, requestCodes: readonly string[]): Promise<Set<string>> {
  const codes = [...new Set(requestCodes)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  if (codes.length === 0) return new Set();
  const rows = await trx
    .selectFrom('order_request')
    .select('request_code')
    .where('request_code', 'in', codes)
    .orderBy('request_code')
    .forUpdate()
    .execute();
  return new Set(rows.map((row) => String(row.request_code)));
}

export async function findShipment(trx: OrdersTrx, requestCode: string, shipmentCode: number): Promise<ShipmentRow | undefined> {
  return (await trx
    .selectFrom('order_shipment as s')
    .select(shipmentColumns)
    .where('s.request_code', '=', requestCode)
    .where('s.shipment_code', '=', shipmentCode)
    .forUpdate()
    .executeTakeFirst()) as ShipmentRow | undefined;
}

const byKey = (a: readonly [string, number], b: readonly [string, number]) => {
  const [ra, rb] = [BigInt(a[0]), BigInt(b[0])];
  return ra < rb ? -1 : ra > rb ? 1 : a[1] - b[1];
};
export const shipmentKey = (requestCode: string, shipmentCode: number) => `${requestCode}/${shipmentCode}`;

/**
 * Locks the shipments a command touches, in (request_code, shipment_code) order, and returns
 * them by key. Every writer of a shipment row locks it this way first (PostgreSQL locks the
 * rows of an ordered FOR UPDATE in that order), so writers never wait on each other in a cycle.
 */
export async function lockShipments(trx: OrdersTrx, keys: readonly (readonly [string, number])[]): Promise<Map<string, ShipmentRow>> {
  const unique = [...new Map(keys.map((key) => [shipmentKey(key[0], key[1]), key])).values()].sort(byKey);
  if (unique.length === 0) return new Map();
  const rows = (await trx
    .selectFrom('order_shipment as s')
    .select(shipmentColumns)
    .where((eb) => eb.or(unique.map(([rc, sc]) => eb.and([eb('s.request_code', '=', rc), eb('s.shipment_code', '=', sc)]))))
    .orderBy('s.request_code')
    .orderBy('s.shipment_code')
    .forUpdate()
    .execute()) as ShipmentRow[];
  return new Map(rows.map((row) => [shipmentKey(String(row.request_code), row.shipment_code), row]));
}

/**
 * Locks, in key order like every shipment writer, the shipments in one of `statuses` whose
 * request is for plan item `itemCode` (a blend code): those still waiting for that material.
 */
export async function lockShipmentsOfItem(trx: OrdersTrx, itemCode: string, statuses: readonly string[]): Promise<ShipmentRow[]> {
  if (statuses.length === 0) return [];
  return (await trx
    .selectFrom('order_shipment as s')
    .innerJoin('order_request as r', 'r.request_code', 's.request_code')
    .innerJoin('order_plan as p', 'p.order_code', 'r.order_code')
    .select(shipmentColumns)
    .where('p.item_code', '=', itemCode)
    .where('s.status', 'in', statuses)
    .orderBy('s.request_code')
    .orderBy('s.shipment_code')
    .forUpdate('s')
    .execute()) as ShipmentRow[];
}

export async function findEvent(trx: OrdersTrx, requestCode: string, shipmentCode: number, status: string): Promise<EventRow | undefined> {
  return (await trx
    .selectFrom('order_shipment_event')
    .select(eventColumns)
    .where('request_code', '=', requestCode)
    .where('shipment_code', '=', shipmentCode)
    .where('status', '=', status)
    .executeTakeFirst()) as EventRow | undefined;
}

export async function insertRequest(
  trx: OrdersTrx,
  request: {
    order_code: string;
    product_name: string;
    requirement: bigint;
    comments: string | null;
    created_at: number;
    created_by: string;
  },
): Promise<RequestRow> {
  return (await trx
    .insertInto('order_request')
    .values({ ...request, requirement: request.requirement.toString() })
    .returning(['request_code', 'order_code', 'product_name', 'requirement', 'comments'])
    .executeTakeFirstOrThrow()) as RequestRow;
}

export async function insertShipment(
  trx: OrdersTrx,
  row: { request_code: string; shipment_code: number; quantity: bigint; status: string; now: number },
): Promise<void> {
  await trx
    .insertInto('order_shipment')
    .values({
      request_code: row.request_code,
      shipment_code: row.shipment_code,
      quantity: row.quantity.toString(),
      status: row.status,
      updated_at: row.now,
    })
    .execute();
}

/** A status event as both write paths insert it. */
export interface NewEventRow {
  request_code: string;
  shipment_code: number;
  status: string;
  event_ts: number;
  shipment_vehicle: string | null;
  order_remarks: string | null;
  shipment_remarks: string | null;
  actor: string;
}

/** The event and the shipment's current status, in one statement (one round trip per event). */
export async function insertEvent(trx: OrdersTrx, row: NewEventRow): Promise<EventRow> {
  return (await trx
    .with('inserted', (db) => db.insertInto('order_shipment_event').values(row).returning(eventColumns))
    .with('current', (db) =>
      db
        .updateTable('order_shipment')
        .set({ status: row.status, updated_at: row.event_ts })
        .where('request_code', '=', row.request_code)
        .where('shipment_code', '=', row.shipment_code)
        .returning('shipment_code'),
    )
    .selectFrom('inserted')
    .select(eventColumns)
    .executeTakeFirstOrThrow()) as EventRow;
}

/**
 * One status event as a single autocommitted statement: lock the shipment if it is in one of
 * `from` (the statuses that may move to `status`), insert the event, set the shipment's status
 * and write the outbox row with the status it moved from. Under READ COMMITTED the lock re-reads
 * a row changed meanwhile and the `from` test is applied to that version, so a concurrent writer
 * cannot slip in between check and insert. No row back means nothing was written: the shipment is
 * missing or not in a `from` status, and the caller takes the transactional path to say which.
 */
export async function recordEventAtOnce(
  db: OrdersDb,
  row: NewEventRow,
  from: readonly string[],
  outbox: OutboxRow,
): Promise<(EventRow & { previous_status: string }) | undefined> {
  const key = sql`request_code = ${row.request_code} and shipment_code = ${row.shipment_code}`;
  const { rows } = await sql<EventRow & { previous_status: string }>`
    with locked as (
      select status from order_shipment where ${key} and status in (${sql.join(from)}) for update
    ), inserted as (
      insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle, order_remarks, shipment_remarks, actor)
      select ${row.request_code}, ${row.shipment_code}, ${row.status}, ${row.event_ts}, ${row.shipment_vehicle}, ${row.order_remarks},
             ${row.shipment_remarks}, ${row.actor}
        from locked
      returning ${sql.join(eventColumns.map((column) => sql.ref(column)))}
    ), moved as (
      update order_shipment set status = ${row.status}, updated_at = ${row.event_ts} where ${key} and exists (select 1 from inserted)
    ), published as (
      insert into ${sql.table(OUTBOX_TABLE)} (id, aggregate_type, aggregate_id, type, payload, metadata, created_at)
      select ${outbox.id}, ${outbox.aggregate_type}, ${outbox.aggregate_id}, ${outbox.type},
             (${outbox.payload}::jsonb || jsonb_build_object('previousStatus', locked.status))::text, ${outbox.metadata}, ${outbox.created_at}
        from locked, inserted
    )
    select inserted.*, locked.status as previous_status from inserted, locked`.execute(db);
  return rows[0];
}

export async function nextShipmentCode(trx: OrdersTrx, requestCode: string): Promise<number> {
  const row = await trx
    .selectFrom('order_shipment')
    .select(sql<number>`coalesce(max(shipment_code), 0) + 1`.as('next'))
    .where('request_code', '=', requestCode)
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

export async function setQuantity(trx: OrdersTrx, requestCode: string, shipmentCode: number, quantity: bigint, now: number): Promise<void> {
  await trx
    .updateTable('order_shipment')
    .set({ quantity: quantity.toString(), updated_at: now })
    .where('request_code', '=', requestCode)
    .where('shipment_code', '=', shipmentCode)
    .execute();
}

/** The split-off shipment inherits the history so far (it is the same goods, in the same state). */
export async function copyEvents(trx: OrdersTrx, requestCode: string, from: number, to: number): Promise<void> {
  await trx
    .insertInto('order_shipment_event')
    .columns(['request_code', 'shipment_code', 'status', 'event_ts', 'shipment_vehicle', 'order_remarks', 'shipment_remarks', 'actor'])
    .expression((eb) =>
      eb
        .selectFrom('order_shipment_event')
        .select([
          'request_code',
          sql.lit(to).as('shipment_code'),
          'status',
          'event_ts',
          'shipment_vehicle',
          'order_remarks',
          'shipment_remarks',
          'actor',
        ])
        .where('request_code', '=', requestCode)
        .where('shipment_code', '=', from)
        .orderBy('event_id'),
    )
    .execute();
}

export async function addAllocated(
  trx: OrdersTrx,
  requestCode: string,
  shipmentCode: number,
  deltaGrams: bigint,
  now: number,
): Promise<ShipmentRow | undefined> {
  return (await trx
    .updateTable('order_shipment as s')
    .set({ allocated: sql`s.allocated + ${deltaGrams.toString()}::bigint`, updated_at: now })
    .where('s.request_code', '=', requestCode)
    .where('s.shipment_code', '=', shipmentCode)
    .returning(shipmentColumns)
    .executeTakeFirst()) as ShipmentRow | undefined;
}

export async function findRequests(db: OrdersDb | OrdersTrx, requestCodes: readonly string[]): Promise<RequestRow[]> {
  if (requestCodes.length === 0) return [];
  return (await db
    .selectFrom('order_request')
    .select(['request_code', 'order_code', 'product_name', 'requirement', 'comments'])
    .where('request_code', 'in', [...new Set(requestCodes)])
    .orderBy('request_code')
    .execute()) as RequestRow[];
}

/** Callers rule out empty `keys` and `requestCodes` first: SQL has no empty IN list. */
function matchingShipments(db: OrdersDb | OrdersTrx, filter: ShipmentFilter) {
  let query = db.selectFrom('order_shipment as s').innerJoin('order_request as r', 'r.request_code', 's.request_code');
  if (filter.status !== undefined) query = query.where('s.status', '=', filter.status);
  if (filter.orderCode !== undefined) query = query.where('r.order_code', '=', filter.orderCode);
  if (filter.requestCode !== undefined) query = query.where('s.request_code', '=', filter.requestCode);
  if (filter.requestCodes !== undefined) query = query.where('s.request_code', 'in', [...filter.requestCodes]);
  // Both filters ask whether the shipment has an event matching a condition.
  const withEvent = (column: 'e.event_ts' | 'e.shipment_vehicle', op: '=' | '>=', value: number | string) =>
    query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('order_shipment_event as e')
          .select(sql.lit(1).as('one'))
          .whereRef('e.request_code', '=', 's.request_code')
          .whereRef('e.shipment_code', '=', 's.shipment_code')
          .where(column, op, value),
      ),
    );
  if (filter.since !== undefined) query = withEvent('e.event_ts', '>=', filter.since);
  if (filter.vehicle !== undefined) query = withEvent('e.shipment_vehicle', '=', filter.vehicle);
  if (filter.keys !== undefined) {
    const keys = filter.keys;
    query = query.where((eb) => eb.or(keys.map(([rc, sc]) => eb.and([eb('s.request_code', '=', rc), eb('s.shipment_code', '=', sc)]))));
  }
  return query;
}

export async function findShipments(db: OrdersDb | OrdersTrx, filter: ShipmentFilter): Promise<ShipmentRow[]> {
  if (filter.keys?.length === 0 || filter.requestCodes?.length === 0) return [];
  return (await matchingShipments(db, filter)
    .select(shipmentColumns)
    .orderBy('s.request_code')
    .orderBy('s.shipment_code')
    .execute()) as ShipmentRow[];
}

/**
 * Up to `limit` request codes with a matching shipment, after `after` in ascending order: a
 * page of `GET /order` is a page of requests, so a request's shipments never straddle two pages.
 */
export async function requestCodesPage(
  db: OrdersDb | OrdersTrx,
  filter: ShipmentFilter,
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  if (filter.keys?.length === 0 || filter.requestCodes?.length === 0) return [];
  let query = matchingShipments(db, filter).select('s.request_code').distinct();
  if (after !== undefined) query = query.where('s.request_code', '>', after);
  const rows = await query.orderBy('s.request_code').limit(limit).execute();
  return rows.map((row) => String(row.request_code));
}

export async function eventsOfRequests(db: OrdersDb | OrdersTrx, requestCodes: readonly string[]): Promise<EventRow[]> {
  if (requestCodes.length === 0) return [];
  return (await db
    .selectFrom('order_shipment_event')
    .select(eventColumns)
    .where('request_code', 'in', [...new Set(requestCodes)])
    .orderBy('request_code')
    .orderBy('shipment_code')
    .orderBy('event_id')
    .execute()) as EventRow[];
}
