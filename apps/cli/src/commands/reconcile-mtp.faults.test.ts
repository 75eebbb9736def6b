import { describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import { testDatabases } from '@tributary/platform/testing';
import { ok, planRow, useMtpPair, tealineLot, type MtpPair, weighBags } from './reconcile-mtp.support.js';

/** A ready shipment of `kg` in orders and `bags` fresh 50 kg tealine bags in processing. */
async function readyShipment(mtp: MtpPair, orderCode: string, kg: string, bags: number): Promise<{ rc: number; tea: string[] }> {
  const { orders, processing, call } = mtp;
  ok(await call(orders, 'GRANDPASS-ADMIN', 'POST', '/order/plan', [planRow(orderCode)]), 'plan');
  const rc = ok(
    await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order', [
      { order_code: orderCode, product_name: 'Breakfast blend', requirement: kg, status: 'ORDER_REQUESTED' },
    ]),
    'request',
  )[0].request_code as number;
  ok(
    await call(orders, 'SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [{ request_code: rc, shipment_code: 1, status: 'ORDER_READY' }]),
    'ready',
  );
  await call(processing, 'SEEDUWA-ADMIN', 'POST', '/app/admin/location', { location_name: 'STORE-F', herbline_section: false });
  const lot = await tealineLot(mtp, {
    item_code: `T-${orderCode}`,
    no_of_bags: bags,
    weight_per_bag: 50,
  });
  const tea = await weighBags(mtp, '/app/tealine/record', lot, 'STORE-F', bags, 51);
  await mtp.sync();
  return { rc, tea };
}

async function shipmentEvents(mtp: MtpPair, rc: number): Promise<string[]> {
  const { rows } = await sql<{
    status: string;
  }>`select status from order_shipment_event where request_code = ${rc} and shipment_code = 1 order by event_id`.execute(
    mtp.orders.handle.database.db,
  );
  return rows.map((row) => row.status);
}

/** Waits (bounded) until `probe` holds; the breaker's half-open delay is real time. */
async function eventually(probe: () => Promise<boolean>, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition never held');
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: MTP faults`, () => {
    const mtp = useMtpPair(target, { ORDERS_BREAKER_FAILURES: '3', ORDERS_BREAKER_OPEN_MS: '1500', ORDERS_TIMEOUT_MS: '3000' });

    it('orders stops in the middle of a dispatch: compensated, nothing half-applied, the retry succeeds exactly once', async () => {
      const { orders, processing, call } = mtp;
      const { rc, tea } = await readyShipment(mtp, 'ORD-FAULT', '40', 2);
      const body = {
        request_code: rc,
        shipment_code: 1,
        shipment_vehicle: 'WP-CAB-1',
        bags: [
          { table_name: 'tealine', barcode: tea[0], amount: '25' },
          { table_name: 'tealine', barcode: tea[1], amount: '15' },
        ],
      };
      const key = { 'idempotency-key': 'fault-dispatch-1' };

      await mtp.stopOrders();
      // The shipment comes from the local copy, both bags are allocated, then SHIPMENT_DISPATCHED cannot be posted.
      const failed = await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/shipment/dispatch', body, key);
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({
        code: 'DISPATCH_FAILED',
        details: {
          failedStep: 'dispatched-event',
          compensated: [`allocate:tealine:${tea[1]}`, `allocate:tealine:${tea[0]}`],
          compensationFailures: [],
        },
      });
      expect(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_CIRCUIT_OPEN']).toContain(failed.body.details.cause);
      for (const bag of tea)
        expect(ok(await call(processing, 'SEEDUWA-OFFICER', 'GET', `/app/scan?table_name=tealine&barcode=${bag}`), 'scan')).toMatchObject({
          allocated: '0.00',
          status: 'ACCEPTED',
        });
      const record = ok(await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment/dispatch?key=fault-dispatch-1'), 'dispatch row');
      expect(record.state).toBe('failed');
      expect(record.steps.map((s: any) => `${s.step}:${s.state}`)).toEqual([
        `allocate:tealine:${tea[0]}:done`,
        `allocate:tealine:${tea[1]}:done`,
        `allocate:tealine:${tea[1]}:compensated`,
        `allocate:tealine:${tea[0]}:compensated`,
        'dispatched-event:failed',
      ]);
      expect(await shipmentEvents(mtp, rc)).toEqual(['ORDER_REQUESTED', 'ORDER_READY']);

      await mtp.startOrders();
      // Once the circuit has let a probe through and closed, the same dispatch (same key) goes through once.
      await eventually(
        async () => (await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment')).headers['x-tributary-stale'] === 'false',
      );
      const retried = await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/shipment/dispatch', body, key);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ quantity: '40', split: null });
      const replay = await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/shipment/dispatch', body, key);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(retried.body);
      expect(ok(await call(processing, 'SEEDUWA-OFFICER', 'GET', `/app/scan?table_name=tealine&barcode=${tea[0]}`), 'scan')).toMatchObject({
        allocated: '25.00',
        status: 'DISPATCHED',
      });
      expect(ok(await call(processing, 'SEEDUWA-OFFICER', 'GET', `/app/scan?table_name=tealine&barcode=${tea[1]}`), 'scan')).toMatchObject({
        allocated: '15.00',
        status: 'DISPATCHED',
      });
      expect(await shipmentEvents(mtp, rc)).toEqual(['ORDER_REQUESTED', 'ORDER_READY', 'SHIPMENT_DISPATCHED']);
      expect(
        ok(await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment/dispatch?key=fault-dispatch-1'), 'dispatch row'),
      ).toMatchObject({ state: 'completed', attempts: 2 });

      await mtp.sync();
      const shipment = ok(await call(orders, 'GRANDPASS-OFFICER', 'GET', `/order?request_code=${rc}`), 'orders')[0].shipments[0];
      expect([shipment.allocated, shipment.status]).toEqual(['40', 'SHIPMENT_DISPATCHED']);
      const report = ok(await call(processing, null, 'POST', '/internal/reconcile/mtp'), 'reconcile');
      expect(report.differences).toEqual([]);
    });

    it('refuses a dispatch that does not fit, a shipment not ready and a reused key, with nothing applied in either database', async () => {
      const { orders, processing, call } = mtp;
      const { rc, tea } = await readyShipment(mtp, 'ORD-REFUSE', '20', 1);
      const body = (amount: string) => ({
        request_code: rc,
        shipment_code: 1,
        shipment_vehicle: 'WP-R',
        bags: [{ table_name: 'tealine', barcode: tea[0], amount }],
      });
      const tooMuch = await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/shipment/dispatch', body('25'), {
        'idempotency-key': 'refuse-1',
      });
      expect([tooMuch.status, tooMuch.body.code, tooMuch.body.details]).toEqual([
        409,
        'DISPATCH_EXCEEDS_SHIPMENT',
        { cart: '25.00', quantity: '20' },
      ]);
      const reused = await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/shipment/dispatch', body('5'), {
        'idempotency-key': 'refuse-1',
      });
      expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      const other = ok(
        await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order', [
          { order_code: 'ORD-REFUSE', product_name: 'Breakfast blend', requirement: '5', status: 'ORDER_REQUESTED' },
        ]),
        'other',
      )[0].request_code;
      const notReady = await call(
        processing,
        'SEEDUWA-OFFICER',
        'POST',
        '/app/shipment/dispatch',
        { ...body('5'), request_code: other },
        { 'idempotency-key': 'refuse-2' },
      );
      expect([notReady.status, notReady.body.code]).toEqual([409, 'SHIPMENT_NOT_DISPATCHABLE']);
      expect(ok(await call(processing, 'SEEDUWA-OFFICER', 'GET', `/app/scan?table_name=tealine&barcode=${tea[0]}`), 'scan')).toMatchObject({
        allocated: '0.00',
        status: 'ACCEPTED',
      });
      expect(await shipmentEvents(mtp, rc)).toEqual(['ORDER_REQUESTED', 'ORDER_READY']);
      expect(ok(await call(orders, 'GRANDPASS-OFFICER', 'GET', `/order?request_code=${rc}`), 'orders')[0].shipments).toHaveLength(1);
    });

    it('orders down: GET /app/shipment serves the copy marked stale; the circuit opens, then closes after recovery', async () => {
      const { processing, call } = mtp;
      const { rc } = await readyShipment(mtp, 'ORD-STALE', '12.5', 1);
      const live = await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment');
      expect(live.headers['x-tributary-stale']).toBe('false');
      const liveRow = live.body.find((s: any) => s.request_code === rc);
      expect(liveRow).toMatchObject({ shipment_code: 1, quantity: '12.5' });

      await mtp.stopOrders();
      const first = await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment');
      expect(first.status).toBe(200);
      expect(first.headers['x-tributary-stale']).toBe('true');
      expect(Number(first.headers['x-tributary-stale-as-of'])).toBeGreaterThan(0);
      expect(first.body.find((s: any) => s.request_code === rc)).toMatchObject({
        shipment_code: 1,
        quantity: '12.5',
        order_code: 'ORD-STALE',
        stale: true,
      });
      // The live list and the copy agree on which shipments are dispatchable.
      expect(first.body.map((s: any) => [s.request_code, s.shipment_code])).toEqual(
        live.body.map((s: any) => [s.request_code, s.shipment_code]),
      );
      // Three failures (ORDERS_BREAKER_FAILURES) have opened the circuit: orders is no longer tried.
      const second = await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment');
      expect([second.status, second.headers['x-tributary-stale'], second.headers['x-tributary-stale-reason']]).toEqual([
        200,
        'true',
        'UPSTREAM_CIRCUIT_OPEN',
      ]);
      // A write cannot be served from a copy: a clear 503 with the breaker's code, at once.
      const write = await call(processing, 'SEEDUWA-OFFICER', 'PUT', '/app/shipment', { request_code: rc, shipment_code: 1, quantity: 5 });
      expect({ status: write.status, code: write.body.code }).toEqual({ status: 503, code: 'UPSTREAM_CIRCUIT_OPEN' });

      await mtp.startOrders();
      await eventually(
        async () => (await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment')).headers['x-tributary-stale'] === 'false',
      );
      const after = await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment');
      expect([after.status, after.headers['x-tributary-stale']]).toEqual([200, 'false']);
    });
  });
}
