import type { OrdersDb } from '../../deps.js';

/** How many shipments carry each of `statuses` as their latest status (kept on the shipment row). */
export async function countShipmentsByStatus(db: OrdersDb, statuses: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('order_shipment')
    .select(['status', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('status', 'in', [...statuses])
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status, Number(row.count)]));
}
