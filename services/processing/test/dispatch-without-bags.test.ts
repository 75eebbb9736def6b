import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { createHttpApp } from '@tributary/platform/http';
import { testAuth, testDatabases } from '@tributary/platform/testing';
import { seed, SEED } from '../src/seed.js';
import { expectRefused, startHarness, type Harness } from './support.js';

/** A signed stand-in for orders that remembers every dispatch event it is sent. */
async function ordersRecordingEvents() {
  const events: unknown[] = [];
  const app = await createHttpApp({ name: 'orders-stub', logger: silentLogger(), auth: testAuth() });
  app.post(
    '/order/shipment/event',
    { schema: { body: Type.Unknown() } },
    async (request) => (events.push(request.body), [{ request_code: 7, shipments: [] }]),
  );
  // The shipments processing checks before it allocates (ADR 0202).
  app.get('/order', { schema: { response: { 200: Type.Unknown() } } }, async () => [
    { request_code: 7, shipments: [{ shipment_code: 1 }, { shipment_code: 2 }] },
  ]);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, events };
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: SHIPMENT_DISPATCHED needs allocated bags`, () => {
    let h: Harness;
    let orders: Awaited<ReturnType<typeof ordersRecordingEvents>>;
    let barcode: string;
    beforeAll(async () => {
      orders = await ordersRecordingEvents();
      h = await startHarness(target, { peers: { orders: orders.url } });
      await seed(h.context);
      const lot = await h.call('GET', `/app/admin/tealine?item_code=${SEED.tealine.item_code}&created_ts=${SEED.tealine.created_ts}`);
      barcode = lot.body.record_list[0].barcode;
    });
    afterAll(async () => {
      await h.close();
      await orders.app.close();
    });

    it('refuses a shipment with no bags (409, nothing written, nothing sent to orders)', async () => {
      const refused = await expectRefused(h, 409, 'SHIPMENT_HAS_NO_BAGS', () =>
        h.call('POST', '/app/shipment/event', [{ request_code: 7, shipment_code: 1, shipment_vehicle: 'WP-1' }], ['SEEDUWA-OFFICER']),
      );
      expect(refused.body.details).toEqual({ index: 0, request_code: 7, shipment_code: 1 });
      expect(orders.events).toEqual([]);
    });

    it('refuses the whole bulk when any element has no bags, naming it', async () => {
      expect(
        (await h.call('POST', '/app/tealine/record/shipment', { barcode, request_code: 7, shipment_code: 1, amount: '1.5' })).status,
      ).toBe(200);
      const refused = await expectRefused(h, 409, 'SHIPMENT_HAS_NO_BAGS', () =>
        h.call('POST', '/app/shipment/event', [
          { request_code: 7, shipment_code: 1, shipment_vehicle: 'WP-1' },
          { request_code: 7, shipment_code: 2, shipment_vehicle: 'WP-1' },
        ]),
      );
      expect(refused.body.details).toMatchObject({ index: 1, shipment_code: 2 });
      expect(orders.events).toEqual([]);
    });

    it('forwards the event once the shipment has a bag', async () => {
      const sent = await h.call(
        'POST',
        '/app/shipment/event',
        [{ request_code: 7, shipment_code: 1, shipment_vehicle: 'WP-1' }],
        undefined,
        { 'idempotency-key': 'bags-ok' },
      );
      expect(sent.status).toBe(200);
      expect(orders.events).toEqual([[{ request_code: 7, shipment_code: 1, shipment_vehicle: 'WP-1', status: 'SHIPMENT_DISPATCHED' }]]);
    });

    it('refuses again once the only allocation is removed', async () => {
      const removed = await h.call('DELETE', `/app/tealine/record/shipment?barcode=${barcode}&request_code=7&shipment_code=1`);
      expect(removed.status).toBe(200);
      await expectRefused(h, 409, 'SHIPMENT_HAS_NO_BAGS', () =>
        h.call('POST', '/app/shipment/event', [{ request_code: 7, shipment_code: 1, shipment_vehicle: 'WP-2' }]),
      );
      expect(orders.events).toHaveLength(1);
    });
  });
}
