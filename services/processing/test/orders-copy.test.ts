import { ORDERS_EVENT_TYPES } from '@tributary/contracts';
import { signedInject, testCredentials, testDatabases, testKeyring } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support.js';

/** An address nothing listens on: every call to "orders" fails at once with ECONNREFUSED. */
const DEAD_ORDERS = 'http://127.0.0.1:9';

const envelope = (id: string, type: string, payload: unknown) => ({
  id,
  source: 'orders',
  aggregateType: 'order_request',
  aggregateId: '41',
  type,
  payload,
  createdAt: 1,
});

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the copy of orders' shipments (POST /internal/events) behind a stale GET /app/shipment`, () => {
    let h: Harness;
    const deliver = (body: unknown, principal = 'sync') =>
      signedInject(h.app, { method: 'POST', url: '/internal/events', body }, testCredentials(principal, testKeyring()));
    beforeAll(async () => {
      h = await startHarness(target, { peers: { orders: DEAD_ORDERS } });
    });
    afterAll(() => h.close());

    it('applies request, split and status events once each, ignores other types, and refuses other deliverers', async () => {
      const created = envelope('e1', ORDERS_EVENT_TYPES.requestCreated, {
        requestCode: '41',
        orderCode: 'OC-41',
        productName: 'Breakfast',
        requirementKg: '100',
        comments: null,
        shipmentCode: 1,
        quantityKg: '100',
        status: 'ORDER_REQUESTED',
        eventTs: 10,
      });
      expect((await deliver(created)).json()).toEqual({ status: 'applied' });
      expect((await deliver(created)).json()).toEqual({ status: 'duplicate' });
      const ready = envelope('e2', ORDERS_EVENT_TYPES.shipmentEventAdded, {
        requestCode: '41',
        shipmentCode: 1,
        status: 'ORDER_READY',
        previousStatus: 'ORDER_REQUESTED',
        eventTs: 20,
        shipmentVehicle: null,
        orderRemarks: null,
        shipmentRemarks: null,
        automatic: false,
        actor: 'u',
      });
      expect((await deliver(ready)).json()).toEqual({ status: 'applied' });
      const split = envelope('e3', ORDERS_EVENT_TYPES.shipmentQuantityChanged, {
        requestCode: '41',
        shipmentCode: 1,
        previousQuantityKg: '100',
        quantityKg: '60.5',
        splitInto: { shipmentCode: 2, quantityKg: '39.5', status: 'ORDER_READY' },
      });
      expect((await deliver(split)).json()).toEqual({ status: 'applied' });
      expect((await deliver(envelope('e4', ORDERS_EVENT_TYPES.planUpserted, {}))).json()).toEqual({ status: 'ignored' });
      const refused = await deliver(envelope('e5', ORDERS_EVENT_TYPES.planUpserted, {}), 'erp');
      expect([refused.statusCode, refused.json().code]).toEqual([403, 'EVENT_DELIVERER_FORBIDDEN']);
      const malformed = await deliver({ id: 'e6', type: 'x' });
      expect([malformed.statusCode, malformed.json().code]).toEqual([400, 'REQUEST_VALIDATION_FAILED']);

      const list = await h.call('GET', '/app/shipment');
      expect(list.status).toBe(200);
      expect(list.headers['x-tributary-stale']).toBe('true');
      expect(list.headers['x-tributary-stale-reason']).toBe('UPSTREAM_UNAVAILABLE');
      expect(Number(list.headers['x-tributary-stale-as-of'])).toBeGreaterThan(0);
      expect(list.body).toEqual([
        {
          request_code: 41,
          shipment_code: 1,
          order_code: 'OC-41',
          product_name: 'Breakfast',
          requirement: '100',
          comments: null,
          quantity: '60.5',
          status: 'ORDER_READY',
          events: [
            { status: 'ORDER_REQUESTED', timestamp: 10 },
            { status: 'ORDER_READY', timestamp: 20 },
          ],
          stale: true,
        },
        {
          request_code: 41,
          shipment_code: 2,
          order_code: 'OC-41',
          product_name: 'Breakfast',
          requirement: '100',
          comments: null,
          quantity: '39.5',
          status: 'ORDER_READY',
          events: [
            { status: 'ORDER_REQUESTED', timestamp: 10 },
            { status: 'ORDER_READY', timestamp: 20 },
          ],
          stale: true,
        },
      ]);

      const dispatched = envelope('e7', ORDERS_EVENT_TYPES.shipmentEventAdded, {
        requestCode: '41',
        shipmentCode: 2,
        status: 'SHIPMENT_DISPATCHED',
        previousStatus: 'ORDER_READY',
        eventTs: 30,
        shipmentVehicle: 'WP-1',
        orderRemarks: null,
        shipmentRemarks: null,
        automatic: false,
        actor: 'processing',
      });
      expect((await deliver(dispatched)).json()).toEqual({ status: 'applied' });
      expect((await h.call('GET', '/app/shipment')).body.map((s: any) => s.shipment_code)).toEqual([1]);
    });

    it('refuses a dispatch without a key or with a bag twice, writing nothing', async () => {
      const bag = '5b0e0a51-4a3c-4d0e-9a53-0c2f4a7e1b11';
      const body = {
        request_code: 41,
        shipment_code: 1,
        shipment_vehicle: 'WP-1',
        bags: [{ table_name: 'tealine', barcode: bag, amount: 1 }],
      };
      const noKey = await h.call('POST', '/app/shipment/dispatch', body);
      expect([noKey.status, noKey.body.code]).toEqual([400, 'DISPATCH_KEY_REQUIRED']);
      const twice = await h.call('POST', '/app/shipment/dispatch', { ...body, bags: [body.bags[0], body.bags[0]] }, undefined, {
        'idempotency-key': 'k-dup',
      });
      expect([twice.status, twice.body.code]).toEqual([400, 'DISPATCH_BAG_DUPLICATE']);
      const herbline = await h.call(
        'POST',
        '/app/shipment/dispatch',
        { ...body, bags: [{ table_name: 'herbline', barcode: bag, amount: 1 }] },
        undefined,
        { 'idempotency-key': 'k-herb' },
      );
      expect([herbline.status, herbline.body.code]).toEqual([400, 'REQUEST_VALIDATION_FAILED']);
      expect((await h.call('GET', '/app/shipment/dispatch?key=k-dup')).status).toBe(404);
    });

    it('answers 409 while a dispatch with the key runs, and takes over one whose process went silent past the lease', async () => {
      const bag = '5b0e0a51-4a3c-4d0e-9a53-0c2f4a7e1b12';
      const body = {
        request_code: 77,
        shipment_code: 1,
        shipment_vehicle: 'WP-1',
        bags: [{ table_name: 'tealine', barcode: bag, amount: '1' }],
      };
      const row = (key: string, updatedAt: number) => ({
        dispatch_key: key,
        request_code: 77,
        shipment_code: 1,
        shipment_vehicle: 'WP-1',
        bags: JSON.stringify([{ table_name: 'tealine', barcode: bag, amount: '1.00' }]),
        state: 'running',
        steps: '[]',
        attempts: 1,
        created_at: updatedAt,
        updated_at: updatedAt,
      });
      const db = h.handle.database.db as any;
      await db
        .insertInto('shipment_dispatch')
        .values([row('k-live', Date.now()), row('k-dead', Date.now() - 10 * 60_000)])
        .execute();
      const live = await h.call('POST', '/app/shipment/dispatch', body, undefined, { 'idempotency-key': 'k-live' });
      expect([live.status, live.body.code]).toEqual([409, 'DISPATCH_IN_PROGRESS']);
      // Taken over: it runs again (and, with orders unreachable and no copy of shipment 77, fails cleanly).
      const dead = await h.call('POST', '/app/shipment/dispatch', body, undefined, { 'idempotency-key': 'k-dead' });
      expect(dead.status).toBe(503);
      expect(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_CIRCUIT_OPEN']).toContain(dead.body.code);
      expect((await h.call('GET', '/app/shipment/dispatch?key=k-dead')).body).toMatchObject({ state: 'failed', attempts: 2 });
    });
  });
}
