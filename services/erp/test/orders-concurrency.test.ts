import { dec } from '@tributary/platform/core';
import { testDatabases } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, masters, ok, startHarness } from './harness.js';
import { eventsOf, quantities, received, reorderLevel, wholesaleSegment } from './orders-fixtures.js';

const ORDERS = 32;
const BATCHES = ['CO-0', 'CO-1', 'CO-2', 'CO-3'];

for (const target of testDatabases()) {
  describe(`${target.label}: ${ORDERS} concurrent orders for the same batches`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(target);
      await masters(h);
      await wholesaleSegment(h);
      await received(h, {
        batch_id: 'CO-EXPIRED',
        item: 'PLAIN-1',
        qty: '25',
        manufacturing_date: '2026-01-01',
        expiry_date: '2026-03-10',
      });
      for (const [i, name] of BATCHES.entries())
        await received(h, {
          batch_id: name,
          item: 'PLAIN-1',
          qty: '25',
          manufacturing_date: `2026-02-0${i + 1}`,
          expiry_date: `2026-04-0${4 - i}`,
        });
      // The expired batch still counts in the balance (until written off), so the level sits above it.
      await reorderLevel(h, 'PLAIN-1', 'WH-A', '40', '100');
    });
    afterAll(async () => h.close());

    it('no oversell, the ledger intact, every accepted line priced, refusals leave nothing, one low-stock alert; cancels release it all', async () => {
      // 3, 4, 5 or 6 units each: 144 asked for 100 in stock, so some orders must be refused.
      const asked = (i: number) => String(3 + (i % 4));
      const responses = await Promise.all(
        Array.from({ length: ORDERS }, (_, i) =>
          h.call('POST', '/orders/process', {
            customer: 'C-WHOLE',
            reference: `PO-${i}`,
            items: [{ item_code: 'PLAIN-1', qty: asked(i), warehouse: 'WH-A' }],
          }),
        ),
      );
      const accepted = responses.filter((r) => r.statusCode === 201).map((r) => r.json());
      const refused = responses.filter((r) => r.statusCode !== 201);
      expect(accepted.length + refused.length).toBe(ORDERS);
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) {
        expect(r.statusCode).toBe(409);
        expect(r.json().code).toBe('INSUFFICIENT_STOCK');
        expect(r.json().details.lines[0].item).toBe('PLAIN-1');
      }

      const reservedByBatch = new Map<string, ReturnType<typeof dec>>();
      for (const order of accepted) {
        const [line] = order.lines;
        expect(line.qty).toBe(asked(Number(order.reference.slice(3))));
        expect(line.rules_applied.map((r: any) => r.rule_code)).toEqual(['SEG-WHOLESALE']);
        expect(line.final_rate).toBe('42.5');
        expect(line.final_amount).toBe(dec(line.qty).times('42.5').toFixed());
        expect(line.reservations.reduce((s: any, r: any) => s.plus(r.qty), dec(0)).toFixed()).toBe(line.qty);
        for (const r of line.reservations) {
          expect(r.batch).not.toBe('CO-EXPIRED');
          reservedByBatch.set(r.batch, (reservedByBatch.get(r.batch) ?? dec(0)).plus(r.qty));
        }
      }

      const db = h.handle.database.db;
      let available = dec(0);
      for (const batch of BATCHES) {
        const reserved = reservedByBatch.get(batch) ?? dec(0);
        expect(reserved.lte(25)).toBe(true);
        const q = await quantities(h, batch);
        expect(dec(q.available_qty).plus(reserved).toFixed()).toBe('25');
        expect(q.reserved_qty).toBe(reserved.toFixed());
        const check = await ok(h.call('GET', `/batches/${batch}/ledger-check`));
        expect(check.consistent).toBe(true);
        const moves = await db
          .selectFrom('tabHD Batch Movement')
          .select(['qty_change'])
          .where('batch_id', '=', batch)
          .where('movement_type', '=', 'RESERVATION')
          .execute();
        expect(moves.reduce((s, m) => s.minus(String(m.qty_change)), dec(0)).toFixed()).toBe(reserved.toFixed());
        available = available.plus(q.available_qty);
      }
      expect((await quantities(h, 'CO-EXPIRED')).available_qty).toBe('25');

      // Only accepted orders left rows behind: orders, lines, reservations, applications, events.
      const ids = accepted.map((o) => o.order_id).sort();
      const stored = await db.selectFrom('tabHD Order').select('name').execute();
      expect(stored.map((r) => r.name).sort()).toEqual(ids);
      const reservationRows = await db.selectFrom('tabHD Order Reservation').select('parent').execute();
      expect(reservationRows.length).toBe(accepted.reduce((n, o) => n + o.lines[0].reservations.length, 0));
      const referenced = await db
        .selectFrom('tabHD Batch Movement')
        .select('reference_name')
        .where('movement_type', '=', 'RESERVATION')
        .execute();
      expect([...new Set(referenced.map((r) => r.reference_name))].sort()).toEqual(ids);
      const applications = await db.selectFrom('tabHD Pricing Rule Application').select('applied_on_name').execute();
      expect(applications.map((a) => a.applied_on_name).sort()).toEqual(ids);
      expect((await eventsOf(h, 'erp.order.processed')).map((e) => e.aggregate_id).sort()).toEqual(ids);
      const level = await db
        .selectFrom('hd_stock_level')
        .select('actual_qty')
        .where('item_code', '=', 'PLAIN-1')
        .where('warehouse', '=', 'WH-A')
        .executeTakeFirstOrThrow();
      expect(dec(String(level.actual_qty)).toFixed()).toBe(available.plus(25).toFixed());
      expect((await eventsOf(h, 'erp.stock.low')).filter((e) => e.aggregate_id === 'PLAIN-1::WH-A')).toHaveLength(1);

      // Every order cancelled twice at once: exactly one cancel each releases, the stock is whole again.
      const cancels = await Promise.all(
        ids.flatMap((id) => [h.call('POST', `/orders/${id}/cancel`, {}), h.call('POST', `/orders/${id}/cancel`, {})]),
      );
      expect(cancels.filter((r) => r.statusCode === 200)).toHaveLength(ids.length);
      for (const r of cancels.filter((c) => c.statusCode !== 200)) expect(r.json().code).toBe('ORDER_ALREADY_CANCELLED');
      for (const batch of BATCHES) {
        expect(await quantities(h, batch)).toEqual({ available_qty: '25', reserved_qty: '0' });
        expect((await ok(h.call('GET', `/batches/${batch}/ledger-check`))).consistent).toBe(true);
      }
      expect((await eventsOf(h, 'erp.order.cancelled')).length).toBe(ids.length);
      expect((await eventsOf(h, 'erp.stock.low')).filter((e) => e.aggregate_id === 'PLAIN-1::WH-A')).toHaveLength(1);
    });
  });
}
