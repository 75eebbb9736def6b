import { Value } from '@sinclair/typebox/value';
import { OrderCancelledPayload, OrderProcessedPayload, ProcurementRequestedPayload, StockLowPayload } from '@tributary/contracts';
import { signedInject, testDatabases } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, masters, ok, pricingRule, startHarness } from './harness.js';
import { counts, eventsOf, quantities, received, reorderLevel, wholesaleSegment } from './orders-fixtures.js';

const as = (h: Harness, role: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
  signedInject(h.app, { method, url, ...(body === undefined ? {} : { body }), identity: { user: `u-${role}`, roles: [role] } });

for (const target of testDatabases()) {
  describe(`${target.label}: order processing`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(target);
      await masters(h);
      await wholesaleSegment(h);
      await received(h, { batch_id: 'O-EXPIRED', expiry_date: '2026-03-09', manufacturing_date: '2026-01-01' });
      await received(h, { batch_id: 'O-LATE', expiry_date: '2026-05-01' });
      await received(h, { batch_id: 'O-EARLY', expiry_date: '2026-04-01' });
      await received(h, { batch_id: 'O-MID', expiry_date: '2026-04-15' });
    });
    afterAll(async () => h.close());

    it('reserves FEFO (expired skipped), prices by the customer segment, logs the rules, stores and emits', async () => {
      const order = await ok(
        h.call('POST', '/orders/process', {
          customer: 'C-WHOLE',
          reference: 'PO-77',
          items: [{ item_code: 'SWEET-1', qty: 15, warehouse: 'WH-A' }],
        }),
        201,
      );
      expect(order).toMatchObject({ success: true, customer: 'C-WHOLE', status: 'Processed', reference: 'PO-77', line_count: 1 });
      const [line] = order.lines;
      expect(line.reservations.map((r: any) => [r.batch, r.qty, r.expiry_date])).toEqual([
        ['O-EARLY', '10', '2026-04-01'],
        ['O-MID', '5', '2026-04-15'],
      ]);
      expect(line).toMatchObject({
        qty: '15',
        uom: null,
        unit_price: '100',
        final_rate: '85',
        final_amount: '1275',
        discount_amount: '225',
      });
      expect(line.rules_applied.map((r: any) => r.rule_code)).toEqual(['SEG-WHOLESALE']);
      expect(order).toMatchObject({ totalBeforeDiscount: '1500', totalDiscount: '225', totalAfterDiscount: '1275' });
      expect(order.customer_segment).not.toBeNull();

      expect(await quantities(h, 'O-EARLY')).toEqual({ available_qty: '0', reserved_qty: '10' });
      expect((await ok(h.call('GET', '/batches/O-EXPIRED'))).available_qty).toBe('10');
      for (const batch of ['O-EARLY', 'O-MID']) expect((await ok(h.call('GET', `/batches/${batch}/ledger-check`))).consistent).toBe(true);
      const logged = await h.handle.database.db
        .selectFrom('tabHD Pricing Rule Application')
        .select(['applied_on_doctype', 'item_code'])
        .where('applied_on_name', '=', order.order_id)
        .execute();
      expect(logged).toEqual([{ applied_on_doctype: 'HD Order', item_code: 'SWEET-1' }]);
      const processed = (await eventsOf(h, 'erp.order.processed')).filter((e) => e.aggregate_id === order.order_id);
      expect(processed).toHaveLength(1);
      expect(Value.Errors(OrderProcessedPayload, processed[0]!.payload).First()).toBeUndefined();

      expect(await ok(h.call('GET', `/orders/${order.order_id}`))).toEqual(order);
      const list = await ok(h.call('GET', '/orders?customer=C-WHOLE&limit=10'));
      expect(list.data.map((o: any) => o.order_id)).toContain(order.order_id);
      expect(list.hasMore).toBe(false);
    });

    it('refuses a bad order with every problem listed, and nothing is written', async () => {
      await ok(h.call('PATCH', '/customers/C-RETAIL', { disabled: 1 }));
      const before = await counts(h);
      const empty = await h.call('POST', '/orders/process', {});
      expect(empty.statusCode).toBe(400);
      expect(empty.json().code).toBe('ORDER_VALIDATION_ERROR');
      expect(
        empty
          .json()
          .details.problems.map((p: any) => p.field)
          .sort(),
      ).toEqual(['customer', 'items']);

      const bad = await h.call('POST', '/orders/process', {
        customer: 'C-WHOLE',
        items: [
          { item_code: 'SWEET-1', qty: '0', warehouse: 'WH-A' },
          { qty: '2', warehouse: 'WH-A' },
          { item_code: 'SWEET-1', qty: 1.5, warehouse: 'WH-A' },
          { item_code: 'SWEET-1', qty: '1' },
          { item_code: 'SWEET-1', qty: '0.0000001', warehouse: 'WH-A' },
        ],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details.problems.map((p: any) => [p.line, p.field])).toEqual([
        [1, 'qty'],
        [2, 'item_code'],
        [3, 'qty'],
        [4, 'warehouse'],
        [5, 'qty'],
      ]);

      const unknown = await h.call('POST', '/orders/process', {
        customer: 'C-NOBODY',
        items: [
          { item_code: 'NO-SUCH', qty: '1', warehouse: 'WH-A' },
          { item_code: 'SWEET-1', qty: '1', warehouse: 'WH-NOWHERE' },
        ],
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().details.problems).toEqual([
        { field: 'customer', reason: 'not_found' },
        { line: 1, field: 'item_code', reason: 'not_found' },
        { line: 2, field: 'warehouse', reason: 'not_a_stock_location' },
      ]);

      const disabled = await h.call('POST', '/orders/process', {
        customer: 'C-RETAIL',
        items: [{ item_code: 'SWEET-1', qty: '1', warehouse: 'WH-A' }],
      });
      expect(disabled.json().details.problems).toEqual([{ field: 'customer', reason: 'disabled' }]);

      // The first line alone could be served: the shortage of the second refuses the whole order.
      const short = await h.call('POST', '/orders/process', {
        customer: 'C-WHOLE',
        set_warehouse: 'WH-A',
        items: [
          { item_code: 'SWEET-1', qty: '1' },
          { item_code: 'CHOC-1', qty: '3' },
        ],
      });
      expect(short.statusCode).toBe(409);
      expect(short.json().code).toBe('INSUFFICIENT_STOCK');
      expect(short.json().details.lines).toEqual([
        { line: 2, item: 'CHOC-1', warehouse: 'WH-A', requested: '3', available: '0', shortage: '3' },
      ]);
      expect(await counts(h)).toEqual(before);
      expect((await ok(h.call('GET', '/batches/O-MID'))).available_qty).toBe('5');
      await ok(h.call('PATCH', '/customers/C-RETAIL', { disabled: 0 }));
    });

    it('a line in another UoM reserves its stock units FEFO and is priced per its own unit; an unknown UoM is refused', async () => {
      await ok(h.call('PATCH', '/items/CHOC-1', { stock_uom: 'Nos' }));
      const uoms = {
        uoms: [
          { uom: 'Nos', conversion_factor: '1' },
          { uom: 'Box', conversion_factor: '10' },
        ],
      };
      expect((await ok(h.call('PUT', '/items/CHOC-1/uoms', uoms))).uoms).toEqual([uoms.uoms[1], uoms.uoms[0]]);
      const stockNotOne = await h.call('PUT', '/items/CHOC-1/uoms', { uoms: [{ uom: 'Nos', conversion_factor: '2' }] });
      expect([stockNotOne.statusCode, stockNotOne.json().code]).toEqual([400, 'ITEM_UOM_INVALID']);
      await received(h, { batch_id: 'U-LATE', item: 'CHOC-1', warehouse: 'WH-B', qty: '20', expiry_date: '2026-07-01' });
      await received(h, { batch_id: 'U-EARLY', item: 'CHOC-1', warehouse: 'WH-B', qty: '20', expiry_date: '2026-06-01' });
      await pricingRule(h, 'BOX-100', { items: ['CHOC-1'], uom: 'Box', rate_or_discount: 'Discount Amount', discount_amount: '100' });

      const before = await counts(h);
      const crate = { item_code: 'CHOC-1', qty: '1', warehouse: 'WH-B', uom: 'Crate' };
      const refused = await h.call('POST', '/orders/process', { customer: 'C-RETAIL', items: [crate] });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe('ORDER_VALIDATION_ERROR');
      expect(refused.json().details.problems).toEqual([{ line: 1, field: 'uom', reason: 'unknown_uom' }]);
      expect(await counts(h)).toEqual(before);

      const order = await ok(
        h.call('POST', '/orders/process', {
          customer: 'C-RETAIL',
          set_warehouse: 'WH-B',
          items: [
            { item_code: 'CHOC-1', qty: '3', uom: 'Box' },
            { item_code: 'CHOC-1', qty: '5' },
          ],
        }),
        201,
      );
      const [boxes, units] = order.lines;
      expect(boxes).toMatchObject({ uom: 'Box', qty: '3', conversion_factor: '10', stock_qty: '30', unit_price: '2000' });
      expect(boxes).toMatchObject({ final_rate: '1900', final_amount: '5700', discount_amount: '300' });
      expect(boxes.rules_applied.map((r: any) => r.rule_code)).toEqual(['BOX-100']);
      expect(boxes.reservations.map((r: any) => [r.batch, r.qty])).toEqual([
        ['U-EARLY', '20'],
        ['U-LATE', '10'],
      ]);
      expect(units).toMatchObject({
        uom: 'Nos',
        qty: '5',
        conversion_factor: '1',
        stock_qty: '5',
        final_amount: '1000',
        rules_applied: [],
      });
      expect(units.reservations.map((r: any) => [r.batch, r.qty])).toEqual([['U-LATE', '5']]);
      expect(await quantities(h, 'U-LATE')).toEqual({ available_qty: '5', reserved_qty: '15' });
      for (const batch of ['U-EARLY', 'U-LATE']) expect((await ok(h.call('GET', `/batches/${batch}/ledger-check`))).consistent).toBe(true);
    });

    it('cancel releases every reservation once; a second cancel is 409 and changes nothing', async () => {
      const order = await ok(
        h.call('POST', '/orders/process', { customer: 'C-WHOLE', items: [{ item_code: 'SWEET-1', qty: '7.5', warehouse: 'WH-A' }] }),
        201,
      );
      expect(order.lines[0].reservations.map((r: any) => [r.batch, r.qty])).toEqual([
        ['O-MID', '5'],
        ['O-LATE', '2.5'],
      ]);
      const cancelled = await ok(h.call('POST', `/orders/${order.order_id}/cancel`, { reason: 'customer changed mind' }));
      expect(cancelled).toMatchObject({ status: 'Cancelled', cancel_reason: 'customer changed mind' });
      for (const r of cancelled.lines[0].reservations) expect(r.release_movement).not.toBeNull();
      expect(await quantities(h, 'O-MID')).toEqual({ available_qty: '5', reserved_qty: '5' });
      expect((await ok(h.call('GET', '/batches/O-MID'))).status).toBe('Active');
      expect((await ok(h.call('GET', '/batches/O-LATE'))).available_qty).toBe('10');
      for (const batch of ['O-MID', 'O-LATE']) expect((await ok(h.call('GET', `/batches/${batch}/ledger-check`))).consistent).toBe(true);

      const before = await counts(h);
      const again = await h.call('POST', `/orders/${order.order_id}/cancel`, {});
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('ORDER_ALREADY_CANCELLED');
      expect(await counts(h)).toEqual(before);
      expect((await h.call('POST', '/orders/HD-ORD-NOPE/cancel', {})).json().code).toBe('ORDER_NOT_FOUND');
      const events = (await eventsOf(h, 'erp.order.cancelled')).filter((e) => e.aggregate_id === order.order_id);
      expect(events).toHaveLength(1);
      expect(Value.Errors(OrderCancelledPayload, events[0]!.payload).First()).toBeUndefined();
      expect(events[0]!.payload.released).toEqual([
        { batch: 'O-MID', qty: '5', expiry_date: '2026-04-15' },
        { batch: 'O-LATE', qty: '2.5', expiry_date: '2026-05-01' },
      ]);
      const cancelledList = await ok(h.call('GET', '/orders?status=Cancelled'));
      expect(cancelledList.data.map((o: any) => o.order_id)).toEqual([order.order_id]);
    });

    it('low stock: one stock.low and procurement.requested per crossing, from orders and from other movements', async () => {
      await reorderLevel(h, 'PLAIN-1', 'WH-B', '10', '25');
      await received(h, { batch_id: 'LS-1', item: 'PLAIN-1', warehouse: 'WH-B', qty: '30', expiry_date: '2026-06-01' });
      const order = (qty: string) =>
        ok(h.call('POST', '/orders/process', { customer: 'C-WHOLE', items: [{ item_code: 'PLAIN-1', qty, warehouse: 'WH-B' }] }), 201);
      const lows = async () => (await eventsOf(h, 'erp.stock.low')).filter((e) => e.aggregate_id === 'PLAIN-1::WH-B');

      await order('15');
      expect(await lows()).toHaveLength(0);
      const crossing = await order('6');
      expect((await lows()).map((e) => e.payload.actual_qty)).toEqual(['9']);
      await order('2');
      expect(await lows()).toHaveLength(1);
      const listed = await ok(h.call('GET', '/inventory/low-stock?warehouse=WH-B'));
      expect(listed.data).toEqual([
        expect.objectContaining({ item_code: 'PLAIN-1', actual_qty: '7', reorder_level: '10', suggested_qty: '25', alerted: true }),
      ]);

      await ok(h.call('POST', `/orders/${crossing.order_id}/cancel`, {}));
      expect((await ok(h.call('GET', '/inventory/low-stock?warehouse=WH-B'))).data).toEqual([]);
      await order('5');
      expect((await lows()).map((e) => e.payload.actual_qty)).toEqual(['9', '8']);

      // Not only orders: a receipt lifts it above the level, an adjustment takes it down again.
      await ok(h.call('POST', '/batches/LS-1/receipts', { qty: '20' }), 201);
      await ok(h.call('POST', '/batches/LS-1/adjustments', { qty_change: '-20', reason: 'damaged' }), 201);
      const all = await lows();
      expect(all.map((e) => e.payload.actual_qty)).toEqual(['9', '8', '8']);
      for (const e of all) expect(Value.Errors(StockLowPayload, e.payload).First()).toBeUndefined();
      const requested = (await eventsOf(h, 'erp.procurement.requested')).filter((e) => e.aggregate_id === 'PLAIN-1::WH-B');
      expect(requested.map((e) => e.payload.suggested_qty)).toEqual(['25', '25', '25']);
      for (const e of requested) expect(Value.Errors(ProcurementRequestedPayload, e.payload).First()).toBeUndefined();
    });

    it('a retried order with the same Idempotency-Key is processed once and answered the same', async () => {
      const body = { customer: 'C-WHOLE', items: [{ item_code: 'SWEET-1', qty: '1', warehouse: 'WH-A' }] };
      const first = await h.call('POST', '/orders/process', body, { 'idempotency-key': 'po-retry-1' });
      expect(first.statusCode).toBe(201);
      const before = await counts(h);
      const retry = await h.call('POST', '/orders/process', body, { 'idempotency-key': 'po-retry-1' });
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expect(await counts(h)).toEqual(before);
    });

    it('access: order writers and integration process; analysts only read', async () => {
      const body = { customer: 'C-WHOLE', items: [{ item_code: 'SWEET-1', qty: '1', warehouse: 'WH-A' }] };
      const before = await counts(h);
      const refused = await as(h, 'analyst', 'POST', '/orders/process', body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('ROLE_FORBIDDEN');
      expect(await counts(h)).toEqual(before);
      const placed = await as(h, 'integration', 'POST', '/orders/process', body);
      expect(placed.statusCode).toBe(201);
      expect((await as(h, 'analyst', 'GET', `/orders/${placed.json().order_id}`)).statusCode).toBe(200);
      expect((await as(h, 'analyst', 'GET', '/inventory/low-stock')).statusCode).toBe(200);
      expect((await as(h, 'readonly', 'GET', '/orders')).statusCode).toBe(403);
    });
  });
}
