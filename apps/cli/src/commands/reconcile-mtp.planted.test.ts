import { describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import { testDatabases } from '@tributary/platform/testing';
import { ok, requestOrders, useMtpPair, storeLocation, tealineLot, weighBags } from './reconcile-mtp.support.js';

/** Each inconsistency kind planted on purpose, then found by the run with both sides' values. */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: MTP reconciliation finds planted inconsistencies`, () => {
    const mtp = useMtpPair(target);

    it('quantity mismatch, status mismatch and orphaned allocation, each with both sides', async () => {
      const { orders, processing, call } = mtp;
      ok(
        await call(orders, 'GRANDPASS-ADMIN', 'POST', '/order/plan', [
          {
            lot_code: 'L1',
            order_code: 'ORD-P',
            item_code: 'BLT00042',
            production_date: '2026-03-01',
            stock: '0',
            requirement: '1000',
            location: 'GP',
            product_code: 'P1',
            product_name: 'Blend',
            item_name: 'Blend',
            sub_location: 'A',
            plan_start: '2026-03-01',
            plan_end: '2026-03-31',
          },
        ]),
        'plan',
      );
      const [rcA, rcB] = await requestOrders(mtp, [
        { order_code: 'ORD-P', requirement: '50' },
        { order_code: 'ORD-P', requirement: '10.5' },
      ]);
      await storeLocation(mtp, 'STORE-P');
      const lot = await tealineLot(mtp, { item_code: 'T-P', no_of_bags: 3, weight_per_bag: 50 });
      const tea = await weighBags(mtp, '/app/tealine/record', lot, 'STORE-P', 3, 51);

      // A: marked dispatched in orders with only 20 of its 50 kg allocated (its bag did leave).
      ok(
        await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/tealine/record/shipment', {
          barcode: tea[0],
          request_code: rcA,
          shipment_code: 1,
          amount: 20,
        }),
        'alloc A',
      );
      ok(await call(processing, 'SEEDUWA-OFFICER', 'PUT', '/app/tealine/record', { barcode: tea[0] }), 'bag A out');
      await sql`update order_shipment set status = 'SHIPMENT_DISPATCHED' where request_code = ${rcA} and shipment_code = 1`.execute(
        mtp.orders.handle.database.db,
      );
      // B: still ORDER_REQUESTED in orders, but its bag was dispatched.
      ok(
        await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/tealine/record/shipment', {
          barcode: tea[1],
          request_code: rcB,
          shipment_code: 1,
          amount: '10.5',
        }),
        'alloc B',
      );
      ok(await call(processing, 'SEEDUWA-OFFICER', 'PUT', '/app/tealine/record', { barcode: tea[1] }), 'bag B out');
      // An allocation to a shipment orders never had: the API refuses it, so it is planted in
      // the table, as a script or an older version could have left it.
      const orphan = { barcode: tea[2], request_code: 987654, shipment_code: 3, amount: '7.25' };
      const orphanRefused = await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/tealine/record/shipment', orphan);
      expect([orphanRefused.status, orphanRefused.body?.code]).toEqual([409, 'SHIPMENT_UNKNOWN']);
      await sql`insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount)
        values (${orphan.barcode}, ${orphan.request_code}, ${orphan.shipment_code}, ${orphan.amount})`.execute(
        mtp.processing.handle.database.db,
      );

      const report = ok(await call(processing, null, 'POST', '/internal/reconcile/mtp?page_size=1'), 'reconcile');
      expect(report.differences).toEqual([
        {
          kind: 'quantity_mismatch',
          request_code: String(rcA),
          shipment_code: 1,
          reason: expect.stringContaining('20'),
          orders: { quantity_kg: '50', status: 'SHIPMENT_DISPATCHED' },
          processing: { allocated_kg: '20', bags: 1, dispatched_bags: 1 },
        },
        {
          kind: 'status_mismatch',
          request_code: String(rcB),
          shipment_code: 1,
          reason: expect.any(String),
          orders: { quantity_kg: '10.5', status: 'ORDER_REQUESTED' },
          processing: { allocated_kg: '10.5', bags: 1, dispatched_bags: 1 },
        },
        {
          kind: 'orphaned_allocation',
          request_code: '987654',
          shipment_code: 3,
          reason: expect.any(String),
          orders: null,
          processing: { allocated_kg: '7.25', bags: 1, dispatched_bags: 0 },
        },
      ]);
      expect(report.summary).toEqual({
        shipments: 2,
        allocationGroups: 3,
        differences: 3,
        byKind: { quantity_mismatch: 1, status_mismatch: 1, orphaned_allocation: 1 },
      });

      // Each side's page endpoint on its own, signed, in key order.
      const ordersSide = ok(await call(orders, null, 'GET', '/internal/reconcile/mtp/shipments?limit=1'), 'orders page');
      expect(ordersSide).toEqual({
        rows: [{ request_code: String(rcA), shipment_code: 1, quantity_kg: '50', status: 'SHIPMENT_DISPATCHED' }],
        next: `${rcA}:1`,
      });
      const refused = await call(orders, 'GRANDPASS-OFFICER', 'GET', '/internal/reconcile/mtp/shipments');
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'ROLE_FORBIDDEN' });
    });
  });
}
