import type { Kysely } from '@tributary/platform/db';
import type { Insertable, Selectable } from 'kysely';
import type { ErpDatabase, OrderItemTable, OrderReservationTable, OrderTable } from '../../db/schema.js';

const ORDER = 'tabHD Order' as const;
const ITEM = 'tabHD Order Item' as const;
const RESERVATION = 'tabHD Order Reservation' as const;

export type OrderRow = Selectable<OrderTable>;
export type OrderItemRow = Selectable<OrderItemTable>;
export type ReservationRow = Selectable<OrderReservationTable>;

export async function findCustomer(db: Kysely<ErpDatabase>, name: string) {
  return db.selectFrom('tabCustomer').select(['name', 'disabled']).where('name', '=', name).executeTakeFirst();
}

export async function findItems(db: Kysely<ErpDatabase>, codes: string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('tabItem').select(['name', 'disabled', 'stock_uom']).where('name', 'in', codes).execute();
}

export async function findWarehouses(db: Kysely<ErpDatabase>, names: string[]) {
  if (names.length === 0) return [];
  return db.selectFrom('tabWarehouse').select(['name', 'disabled', 'is_group']).where('name', 'in', names).execute();
}

export async function insertOrder(
  trx: Kysely<ErpDatabase>,
  order: Insertable<OrderTable>,
  items: Insertable<OrderItemTable>[],
  reservations: Insertable<OrderReservationTable>[],
): Promise<void> {
  await trx.insertInto(ORDER).values(order).execute();
  // Batched so a 500-line order stays under every driver's placeholder limit.
  for (let i = 0; i < items.length; i += 200)
    await trx
      .insertInto(ITEM)
      .values(items.slice(i, i + 200))
      .execute();
  for (let i = 0; i < reservations.length; i += 200)
    await trx
      .insertInto(RESERVATION)
      .values(reservations.slice(i, i + 200))
      .execute();
}

export async function lockOrder(trx: Kysely<ErpDatabase>, name: string): Promise<OrderRow | undefined> {
  return trx.selectFrom(ORDER).selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
}

export async function findOrder(db: Kysely<ErpDatabase>, name: string): Promise<OrderRow | undefined> {
  return db.selectFrom(ORDER).selectAll().where('name', '=', name).executeTakeFirst();
}

export async function itemsOf(db: Kysely<ErpDatabase>, order: string): Promise<OrderItemRow[]> {
  return db.selectFrom(ITEM).selectAll().where('parent', '=', order).orderBy('line_no').execute();
}

export async function reservationsOf(db: Kysely<ErpDatabase>, order: string): Promise<ReservationRow[]> {
  return db.selectFrom(RESERVATION).selectAll().where('parent', '=', order).orderBy('line_no').orderBy('idx').execute();
}

/** Locks the named batches in one canonical order (by name), as consumers do, so lockers never wait on each other in a cycle. */
export async function lockBatchesByName(trx: Kysely<ErpDatabase>, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await trx.selectFrom('tabHD Batch Master').select('name').where('name', 'in', names).orderBy('name').forUpdate().execute();
}

export async function markReleased(trx: Kysely<ErpDatabase>, reservation: string, movement: string, now: Date): Promise<void> {
  await trx.updateTable(RESERVATION).set({ release_movement: movement, modified: now }).where('name', '=', reservation).execute();
}

export async function markCancelled(
  trx: Kysely<ErpDatabase>,
  order: string,
  change: { cancelled_at: Date; cancel_reason: string | null; modified_by: string | null },
): Promise<void> {
  await trx
    .updateTable(ORDER)
    .set({ status: 'Cancelled', docstatus: 2, modified: change.cancelled_at, ...change })
    .where('name', '=', order)
    .execute();
}

export async function listOrders(
  db: Kysely<ErpDatabase>,
  query: { customer?: string; status?: string; limit: number; offset: number },
): Promise<OrderRow[]> {
  let select = db.selectFrom(ORDER).selectAll();
  if (query.customer) select = select.where('customer', '=', query.customer);
  if (query.status) select = select.where('status', '=', query.status);
  return select
    .orderBy('creation', 'desc')
    .orderBy('name', 'desc')
    .limit(query.limit + 1)
    .offset(query.offset)
    .execute();
}
