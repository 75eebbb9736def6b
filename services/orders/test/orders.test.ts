import { testDatabases } from '@tributary/platform/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastSequence, PLAN_ROW, useOrders } from './support.js';

const request = (overrides: Record<string, unknown> = {}) => ({
  order_code: 'PLAN-A',
  product_name: 'Breakfast blend',
  requirement: '100',
  comments: 'first',
  status: 'ORDER_REQUESTED',
  ...overrides,
});

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: /order`, () => {
    const h = useOrders(target);
    beforeAll(async () => {
      await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [
        PLAN_ROW({ order_code: 'PLAN-A', requirement: '1000' }),
        PLAN_ROW({ order_code: 'PLAN-B', requirement: '50' }),
      ]);
    });

    it('creates requests with shipment 1 and the first event, and one outbox event each', async () => {
      const before = await lastSequence(h);
      const response = await h.as('GRANDPASS-OFFICER', 'POST', '/order', [
        request({ requirement: '250.125' }),
        request({ order_code: 'PLAN-B', requirement: 80, comments: undefined, status: 'APPROVAL_REQUESTED' }),
      ]);
      expect(response.statusCode).toBe(200);
      const [a, b] = response.json();
      expect(a).toEqual({
        request_code: expect.any(Number),
        order_code: 'PLAN-A',
        product_name: 'Breakfast blend',
        requirement: '250.125',
        comments: 'first',
        shipments: [
          {
            shipment_code: 1,
            quantity: '250.125',
            allocated: '0',
            status: 'ORDER_REQUESTED',
            events: [{ status: 'ORDER_REQUESTED', timestamp: h.clock.now() }],
          },
        ],
      });
      expect(b).toMatchObject({ order_code: 'PLAN-B', requirement: '80', comments: null, shipments: [{ status: 'APPROVAL_REQUESTED' }] });
      const stored = await h.handle.database.db
        .selectFrom('order_shipment')
        .select(['quantity'])
        .where('request_code', '=', String(a.request_code))
        .executeTakeFirstOrThrow();
      expect(stored.quantity).toBe('250125');
      const events = await h.outboxAfter(before);
      expect(events.map((e) => [e.type, e.aggregateType, e.aggregateId])).toEqual([
        ['orders.request.created', 'order_request', String(a.request_code)],
        ['orders.request.created', 'order_request', String(b.request_code)],
      ]);
      expect(events[0]!.payload).toEqual({
        requestCode: String(a.request_code),
        orderCode: 'PLAN-A',
        productName: 'Breakfast blend',
        requirementKg: '250.125',
        comments: 'first',
        shipmentCode: 1,
        quantityKg: '250.125',
        status: 'ORDER_REQUESTED',
        eventTs: h.clock.now(),
      });
      expect(events[0]!.metadata).toMatchObject({ actor: 'user-GRANDPASS-OFFICER', requestId: expect.any(String) });
    });

    it('refuses a standard request beyond what the plan still allows (409), and writes nothing of the batch', async () => {
      const before = await h.counts();
      // PLAN-B allows 50 kg; the approval request above does not count until approved.
      const response = await h.as('GRANDPASS-OFFICER', 'POST', '/order', [
        request({ requirement: '10' }),
        request({ order_code: 'PLAN-B', requirement: '50.001' }),
      ]);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({
        code: 'ORDER_EXCEEDS_ALLOWANCE',
        details: { index: 1, order_code: 'PLAN-B', allowed: '50' },
      });
      expect(await h.counts()).toEqual(before);
      const exact = await h.as('GRANDPASS-OFFICER', 'POST', '/order', [
        request({ order_code: 'PLAN-B', requirement: '30' }),
        request({ order_code: 'PLAN-B', requirement: '20' }),
      ]);
      expect(exact.statusCode).toBe(200);
      const special = await h.as('GRANDPASS-OFFICER', 'POST', '/order', [
        request({ order_code: 'PLAN-B', requirement: '500', status: 'APPROVAL_REQUESTED' }),
      ]);
      expect(special.statusCode).toBe(200);
    });

    it('refuses each kind of bad input with a stable code and writes nothing', async () => {
      const before = await h.counts();
      const cases: [unknown, number, string][] = [
        [[request({ order_code: 'NO-SUCH-PLAN' })], 404, 'PLAN_NOT_FOUND'],
        [[request({ requirement: '0' })], 400, 'ORDER_QUANTITY_INVALID'],
        [[request({ requirement: '-5' })], 400, 'ORDER_QUANTITY_INVALID'],
        [[request({ requirement: '1.0005' })], 400, 'ORDER_QUANTITY_INVALID'],
        [[request({ requirement: 'lots' })], 400, 'ORDER_QUANTITY_INVALID'],
        [[request({ requirement: 1e300 })], 400, 'ORDER_QUANTITY_INVALID'],
        [[request({ status: 'ORDER_READY' })], 400, 'REQUEST_VALIDATION_FAILED'],
        [[request({ status: undefined })], 400, 'REQUEST_VALIDATION_FAILED'],
        [[request({ product_name: '' })], 400, 'REQUEST_VALIDATION_FAILED'],
        [[request({ order_code: "x'; drop table order_request; --" })], 404, 'PLAN_NOT_FOUND'],
        [[], 400, 'REQUEST_VALIDATION_FAILED'],
        [request(), 400, 'REQUEST_VALIDATION_FAILED'],
        ['{"broken json', 400, 'REQUEST_BODY_INVALID_JSON'],
      ];
      for (const [body, status, code] of cases) {
        const response = await h.as('GRANDPASS-OFFICER', 'POST', '/order', body);
        expect([JSON.stringify(body), response.statusCode, response.json().code]).toEqual([JSON.stringify(body), status, code]);
      }
      expect(await h.counts()).toEqual(before);
    });

    it('refuses bulk arrays beyond the configured limit', async () => {
      const before = await h.counts();
      const response = await h.as(
        'GRANDPASS-OFFICER',
        'POST',
        '/order',
        Array.from({ length: 501 }, () => request({ requirement: '0.001' })),
      );
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('BULK_TOO_LARGE');
      expect(await h.counts()).toEqual(before);
    });

    it('lists requests filtered by current status, event time and vehicle', async () => {
      h.clock.advance(60_000);
      const since = h.clock.now();
      const created = await h.as('GRANDPASS-OFFICER', 'POST', '/order', [request({ requirement: '40', comments: 'filters' })]);
      const rc = created.json()[0].request_code as number;
      await h.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [{ request_code: rc, shipment_code: 1, status: 'ORDER_READY' }]);
      await h.asService('processing', 'POST', '/order/shipment/event', [
        { request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: 'WP-KA-1234' },
      ]);

      const all = (await h.as('SEEDUWA-ADMIN', 'GET', '/order')).json();
      expect(all.length).toBeGreaterThanOrEqual(5);
      const dispatched = (await h.as('GRANDPASS-GATEPASS', 'GET', '/order?status=SHIPMENT_DISPATCHED')).json();
      expect(dispatched.map((o: { request_code: number }) => o.request_code)).toEqual([rc]);
      expect(dispatched[0].shipments[0].events).toEqual([
        { status: 'ORDER_REQUESTED', timestamp: since },
        { status: 'ORDER_READY', timestamp: since },
        { status: 'SHIPMENT_DISPATCHED', timestamp: since, shipment_vehicle: 'WP-KA-1234' },
      ]);
      expect(
        (await h.as('GRANDPASS-GATEPASS', 'GET', '/order?shipment_vehicle=WP-KA-1234'))
          .json()
          .map((o: { request_code: number }) => o.request_code),
      ).toEqual([rc]);
      expect(
        (await h.as('GRANDPASS-OFFICER', 'GET', `/order?timestamp=${since}`)).json().map((o: { request_code: number }) => o.request_code),
      ).toEqual([rc]);
      expect((await h.as('GRANDPASS-OFFICER', 'GET', `/order?timestamp=${since + 1}`)).json()).toEqual([]);
      expect((await h.asService('processing', 'GET', `/order?request_code=${rc}`)).json()).toHaveLength(1);
      expect((await h.as('GRANDPASS-OFFICER', 'GET', '/order?status=NOT_A_STATUS')).json().code).toBe('REQUEST_VALIDATION_FAILED');
      expect((await h.as('GRANDPASS-OFFICER', 'GET', '/order?timestamp=yesterday')).statusCode).toBe(400);
    });

    it('enforces the permission matrix (403) and writes nothing', async () => {
      const before = await h.counts();
      for (const group of ['GRANDPASS-ADMIN', 'MASTER-ADMIN', 'TRADER-OFFICER', 'TRADER-SUPERVISOR', 'GRANDPASS-DEV-MACHINE']) {
        const list = await h.as(group, 'GET', '/order');
        expect([group, list.statusCode, list.json().code]).toEqual([group, 403, 'ROLE_FORBIDDEN']);
      }
      for (const group of ['GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'SEEDUWA-ADMIN', 'GRANDPASS-GATEPASS', 'GRANDPASS-ADMIN']) {
        expect((await h.as(group, 'POST', '/order', [request()])).statusCode).toBe(403);
      }
      expect((await h.asService('processing', 'POST', '/order', [request()])).statusCode).toBe(403);
      expect((await h.asService('sync', 'GET', '/order')).statusCode).toBe(403);
      expect(await h.counts()).toEqual(before);
    });

    it('replays a create retried with the same Idempotency-Key instead of creating twice', async () => {
      const body = [request({ requirement: '1', comments: 'idempotent' })];
      const first = await h.as('GRANDPASS-OFFICER', 'POST', '/order', body, { 'idempotency-key': 'create-1' });
      expect(first.statusCode).toBe(200);
      const counts = await h.counts();
      const retry = await h.as('GRANDPASS-OFFICER', 'POST', '/order', body, { 'idempotency-key': 'create-1' });
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      expect(await h.counts()).toEqual(counts);
      const other = await h.as('GRANDPASS-OFFICER', 'POST', '/order', [request({ requirement: '2' })], { 'idempotency-key': 'create-1' });
      expect(other.statusCode).toBe(422);
      expect(await h.counts()).toEqual(counts);
    });
  });
}
