import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflict, silentLogger } from '@tributary/platform/core';
import { sql } from '@tributary/platform/db';
import { createHttpApp } from '@tributary/platform/http';
import { testAuth, testDatabases } from '@tributary/platform/testing';
import { seed, SEED } from '../src/seed.js';
import { expectRefused, startHarness, tableCounts, type Harness } from './support.js';

const ORDERS = [
  {
    request_code: 1,
    order_code: 'OC-1',
    product_name: 'Breakfast',
    requirement: 100,
    comments: null,
    shipments: [
      {
        shipment_code: 1,
        quantity: 60,
        events: [
          { status: 'ORDER_REQUESTED', timestamp: 1 },
          { status: 'ORDER_READY', timestamp: 2 },
        ],
      },
      { shipment_code: 2, quantity: 40, events: [{ status: 'ORDER_REQUESTED', timestamp: 1 }] },
      {
        shipment_code: 3,
        quantity: 5,
        events: [
          { status: 'ORDER_READY', timestamp: 1 },
          { status: 'SHIPMENT_DISPATCHED', timestamp: 3 },
        ],
      },
      {
        shipment_code: 4,
        quantity: 5,
        events: [
          { status: 'ORDER_READY', timestamp: 1 },
          { status: 'TRADER_BLOCKED', timestamp: 4 },
        ],
      },
    ],
  },
];

/** A stand-in for the orders service: a real signed HTTP server that records what it was sent. */
async function fakeOrders() {
  const seen: { path: string; body: unknown; user?: string; roles: string[]; key?: string; principal: string }[] = [];
  const app = await createHttpApp({ name: 'orders-stub', logger: silentLogger(), auth: testAuth() });
  const remember = (request: any) =>
    seen.push({
      path: request.url,
      body: request.body,
      roles: request.identity?.roles ?? [],
      principal: request.identity?.principal,
      ...(request.identity?.user ? { user: request.identity.user } : {}),
      ...(request.headers['idempotency-key'] ? { key: request.headers['idempotency-key'] } : {}),
    });
  // Request 5 is known to orders but has nothing dispatchable; only its own lookup names it.
  const request5 = [{ ...ORDERS[0]!, request_code: 5, shipments: [{ shipment_code: 1, quantity: 10, events: [] }] }];
  app.get('/order', { schema: { response: { 200: Type.Unknown() } } }, async (request: any) =>
    request.query.request_code === '5' ? request5 : (remember(request), ORDERS),
  );
  app.put('/order/shipment', { schema: { body: Type.Unknown() } }, async (request) => {
    remember(request);
    if ((request.body as any)[0].shipment_code === 9) throw conflict('SHIPMENT_NOT_SPLITTABLE', 'nope');
    return [{ request_code: 1, shipments: [] }];
  });
  app.post(
    '/order/shipment/event',
    { schema: { body: Type.Unknown() } },
    async (request) => (remember(request), [{ request_code: 1, shipments: [] }]),
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, seen };
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: orders proxy, outbox, idempotency, seed, OpenAPI`, () => {
    let h: Harness;
    let orders: Awaited<ReturnType<typeof fakeOrders>>;
    beforeAll(async () => {
      orders = await fakeOrders();
      h = await startHarness(target, { peers: { orders: orders.url } });
    });
    afterAll(async () => {
      await h.close();
      await orders.app.close();
    });

    it('lists only dispatchable shipments, flattened, calling orders signed and on behalf of the caller', async () => {
      const list = await h.call('GET', '/app/shipment');
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        {
          request_code: 1,
          order_code: 'OC-1',
          product_name: 'Breakfast',
          requirement: 100,
          comments: null,
          shipment_code: 1,
          quantity: 60,
          events: ORDERS[0]!.shipments[0]!.events,
        },
      ]);
      expect(orders.seen.at(-1)).toMatchObject({ path: '/order', principal: 'processing', user: 'tester', roles: ['SEEDUWA-OFFICER'] });
    });

    it('forwards quantity changes and dispatch events (status forced, idempotency key carried)', async () => {
      expect((await h.call('PUT', '/app/shipment', { request_code: 1, shipment_code: 1, quantity: 30.5 })).body).toEqual([
        { request_code: 1, shipments: [] },
      ]);
      expect(orders.seen.at(-1)).toMatchObject({ path: '/order/shipment', body: [{ request_code: 1, shipment_code: 1, quantity: 30.5 }] });
      // Shipment 1/1 has no bags yet: the dispatch event is refused here and never reaches orders
      // (forwarding with bags is covered in dispatch-without-bags.test.ts).
      const sent = orders.seen.length;
      await expectRefused(h, 409, 'SHIPMENT_HAS_NO_BAGS', () =>
        h.call('POST', '/app/shipment/event', [{ request_code: 1, shipment_code: 1, shipment_vehicle: 'WP-1234' }], undefined, {
          'idempotency-key': 'dispatch-1',
        }),
      );
      expect(orders.seen.length).toBe(sent);
      const refused = await h.call('PUT', '/app/shipment', { request_code: 1, shipment_code: 9, quantity: 1 });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'SHIPMENT_NOT_SPLITTABLE' });
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('POST', '/app/shipment/event', []));
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('POST', '/app/shipment/event', [{ request_code: 1, shipment_code: 1, status: 'ORDER_READY', shipment_vehicle: 'X' }]),
      );
    });

    it('seeds demo data idempotently', async () => {
      await seed(h.context);
      const once = await tableCounts(h);
      await seed(h.context);
      expect(await tableCounts(h)).toEqual(once);
      const lot = await h.call('GET', `/app/admin/tealine?item_code=${SEED.tealine.item_code}&created_ts=${SEED.tealine.created_ts}`);
      expect(lot.body.record_list.map((r: any) => r.id)).toEqual([1, 2, 3]);
      expect((await h.call('GET', '/app/blendsheet')).body).toEqual([
        { blendsheet_no: SEED.blendsheet.blendsheet_no, standard: SEED.blendsheet.standard, no_of_batches: 3, created_batches: 0 },
      ]);
    });

    it('replays an allocation retried with the same Idempotency-Key instead of allocating twice', async () => {
      const lot = (await h.call('GET', `/app/admin/tealine?item_code=${SEED.tealine.item_code}&created_ts=${SEED.tealine.created_ts}`))
        .body;
      const barcode = lot.record_list[0].barcode;
      const body = { barcode, request_code: 5, shipment_code: 1, amount: '2.50' };
      const first = await h.call('POST', '/app/tealine/record/shipment', body, undefined, { 'idempotency-key': 'alloc-1' });
      const again = await h.call('POST', '/app/tealine/record/shipment', body, undefined, { 'idempotency-key': 'alloc-1' });
      expect([first.status, again.status, again.headers['idempotent-replayed']]).toEqual([200, 200, 'true']);
      expect((await h.call('GET', `/app/scan?table_name=tealine&barcode=${barcode}`)).body.allocated).toBe('2.50');
    });

    it('serves its events on the outbox feed with the shared identifiers', async () => {
      const feed = await h.call('GET', '/internal/outbox?after=0&limit=1000');
      expect(feed.status).toBe(200);
      const types = new Set(feed.body.events.map((e: any) => e.type));
      expect(types).toEqual(new Set(['processing.allocation.created', 'allocation.changed']));
      const changed = feed.body.events.find((e: any) => e.type === 'allocation.changed');
      expect(changed).toMatchObject({
        aggregateType: 'shipment',
        aggregateId: '5/1',
        payload: { requestCode: '5', shipmentCode: 1, table: 'tealine', allocatedKgDelta: '2.50' },
      });
      expect(changed.metadata).toMatchObject({ user: 'tester', principal: 'test' });
      const rows = await sql<{ n: number }>`select count(*)::int as n from outbox`.execute(h.handle.database.db);
      expect(rows.rows[0]!.n).toBe(2);
    });

    it('documents every route in OpenAPI and refuses unsigned callers', async () => {
      const doc = await h.app.inject({ method: 'GET', url: '/openapi.json' });
      const paths = Object.keys(doc.json().paths);
      for (const path of [
        '/app/admin/tealine',
        '/app/scan',
        '/app/label',
        '/app/trader/blendsheet/batch',
        '/app/tealine/record/shipment',
        '/app/blendsheet/record/flavorsheet',
        '/app/parcel/record',
        '/app/shipment/event',
      ]) {
        expect(paths).toContain(path);
      }
      expect((await h.app.inject({ method: 'GET', url: '/app/location' })).statusCode).toBe(401);
    });
  });
}

describe('without an orders URL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDatabases({ dialects: ['pglite'] })[0]!);
  });
  afterAll(() => h.close());
  it('answers 503 ORDERS_NOT_CONFIGURED for the proxied routes', async () => {
    const response = await h.call('GET', '/app/shipment');
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 503, code: 'ORDERS_NOT_CONFIGURED' });
  });
});
