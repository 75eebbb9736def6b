import { dec } from '@tributary/platform/core';
import { sql } from '@tributary/platform/db';
import { assignSegment, createSegment, type Harness, ok, receive } from './harness.js';

// Plant date in these tests: 2026-03-10 (Asia/Kolkata).
export const received = (h: Harness, body: Record<string, unknown>) => ok(receive(h, body), 201);

/** WHOLESALE (15% off every item) as C-WHOLE's primary segment: the order must be priced by it. */
export async function wholesaleSegment(h: Harness): Promise<void> {
  await createSegment(h, 'WHOLESALE', 'Wholesale', 'demographic', { priority_level: 2, discount_percentage: '15' });
  await assignSegment(h, 'C-WHOLE', { segment: 'WHOLESALE', is_primary: true });
}

/** Rows of every table an order writes: a refusal must leave each count as it was. */
export async function counts(h: Harness): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'tabHD Order',
    'tabHD Order Item',
    'tabHD Order Reservation',
    'tabHD Batch Movement',
    'tabHD Pricing Rule Application',
    'outbox',
  ]) {
    const row = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(h.handle.database.db);
    out[table] = Number(row.rows[0]!.n);
  }
  return out;
}

/** A reorder level for an item and warehouse, as the optimisation would store it. */
export async function reorderLevel(h: Harness, item: string, warehouse: string, level: string, qty: string): Promise<void> {
  const at = new Date(h.clock.now());
  await h.handle.database.db
    .insertInto('tabHD Item Warehouse Optimization')
    .values({
      name: `IWO-${item}-${warehouse}`,
      creation: at,
      modified: at,
      docstatus: 0,
      idx: 0,
      item_code: item,
      warehouse,
      reorder_level: level,
      reorder_qty: qty,
    })
    .execute();
}

export async function eventsOf(h: Harness, type: string): Promise<{ aggregate_id: string; payload: any }[]> {
  const rows = await h.handle.database.db
    .selectFrom('outbox')
    .select(['aggregate_id', 'payload'])
    .where('type', '=', type)
    .orderBy('position')
    .execute();
  return rows.map((r: any) => ({
    aggregate_id: String(r.aggregate_id),
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
  }));
}

/** A batch's ledger balance and reserved quantity, as exact decimal strings. */
export async function quantities(h: Harness, batch: string): Promise<{ available_qty: string; reserved_qty: string }> {
  const row = await h.handle.database.db
    .selectFrom('tabHD Batch Master')
    .select(['available_qty', 'reserved_qty'])
    .where('name', '=', batch)
    .executeTakeFirstOrThrow();
  return { available_qty: dec(String(row.available_qty)).toFixed(), reserved_qty: dec(String(row.reserved_qty)).toFixed() };
}
