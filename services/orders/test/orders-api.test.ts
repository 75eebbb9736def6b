import { ordersApi, type OrdersApi } from '@tributary/contracts';
import { encodeCursor, isAppError, NEXT_CURSOR_HEADER } from '@tributary/platform/core';
import type { ServiceClient } from '@tributary/platform/resilience';
import { testDatabases } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningClient, PLAN_ROW, planAndRequest, startOrders, type OrdersHarness } from './support.js';

const OFFICER = { identity: { user: 'officer-1', roles: ['SEEDUWA-OFFICER'] } };

/** The typed client as processing uses it: over real HTTP, signed as processing, on behalf of a user. */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the orders API through its typed client`, () => {
    let h: OrdersHarness;
    let client: ServiceClient;
    let api: OrdersApi;
    beforeAll(async () => {
      h = await startOrders(target);
      client = await listeningClient(h, 'processing');
      api = ordersApi(client);
    });
    afterAll(async () => {
      await client.close();
      await h.close();
    });

    it('lists, splits and adds events, each answer in the contract shape', async () => {
      const requestCode = await planAndRequest(h, { requestKg: '100' });
      const listed = await api.listOrders(
        { request_code: requestCode },
        { ...OFFICER, requestId: 'req-list-1', headers: { 'x-caller-note': 'kept' } },
      );
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        request_code: requestCode,
        requirement: '100',
        shipments: [{ shipment_code: 1, quantity: '100', status: 'ORDER_REQUESTED' }],
      });

      const ready = await api.addShipmentEvents([{ request_code: requestCode, shipment_code: 1, status: 'ORDER_READY' }], {
        ...OFFICER,
        idempotencyKey: `ready-${requestCode}`,
      });
      expect(ready[0]!.shipments[0]!.events.map((event) => event.status)).toEqual(['ORDER_READY']);

      const split = await api.updateShipments([{ request_code: requestCode, shipment_code: 1, quantity: '40' }], OFFICER);
      expect(split[0]!.shipments.map((s) => [s.shipment_code, s.quantity, s.status])).toEqual([
        [1, '40', 'ORDER_READY'],
        [2, '60', 'ORDER_READY'],
      ]);

      const page = await api.reconcileShipments({ limit: 1000 });
      expect(
        page.rows.filter((row) => row.request_code === String(requestCode)).map((row) => [row.shipment_code, row.quantity_kg]),
      ).toEqual([
        [1, '40'],
        [2, '60'],
      ]);
    });

    it("rejects with orders' own code and status when orders refuses", async () => {
      const requestCode = await planAndRequest(h, { requestKg: '10' });
      const refused = await api
        .updateShipments([{ request_code: requestCode, shipment_code: 1, quantity: '11' }], OFFICER)
        .catch((error: unknown) => error);
      expect(isAppError(refused) && [refused.status, refused.code]).toEqual([409, 'SHIPMENT_QUANTITY_INCREASE']);
      expect((await api.listOrders({ request_code: requestCode }, OFFICER))[0]!.shipments.map((s) => s.quantity)).toEqual(['10']);
    });
  });

  describe(`${target.label}: GET /order in pages`, () => {
    let h: OrdersHarness;
    let client: ServiceClient;
    let api: OrdersApi;
    const total = 250;
    beforeAll(async () => {
      h = await startOrders(target);
      client = await listeningClient(h, 'processing');
      api = ordersApi(client);
      for (const orderCode of ['PAGED', 'OTHER']) {
        const plan = await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [PLAN_ROW({ order_code: orderCode, requirement: '100000' })]);
        expect(plan.statusCode).toBe(200);
      }
      const items = (orderCode: string, n: number) =>
        Array.from({ length: n }, () => ({
          order_code: orderCode,
          product_name: 'Breakfast blend',
          requirement: '1',
          status: 'ORDER_REQUESTED',
        }));
      expect((await h.as('GRANDPASS-OFFICER', 'POST', '/order', items('PAGED', total))).statusCode).toBe(200);
      expect((await h.as('GRANDPASS-OFFICER', 'POST', '/order', items('OTHER', 7))).statusCode).toBe(200);
    });
    afterAll(async () => {
      await client.close();
      await h.close();
    });

    it('walks every page once: no duplicates, no gaps, the same requests as the unpaged list', async () => {
      const all = await api.listOrders({ order_code: 'PAGED' }, OFFICER);
      expect(all).toHaveLength(total);
      const sizes: number[] = [];
      const seen: number[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await api.listOrdersPage({ order_code: 'PAGED', limit: 100, ...(cursor ? { cursor } : {}) }, OFFICER);
        sizes.push(page.items.length);
        seen.push(...page.items.map((order) => order.request_code));
        expect(page.items.every((order) => order.order_code === 'PAGED' && order.shipments.length === 1)).toBe(true);
        if (page.next === null) break;
        cursor = page.next;
      }
      expect(sizes).toEqual([100, 100, 50]);
      expect(new Set(seen).size).toBe(total);
      expect(seen).toEqual(all.map((order) => order.request_code));
    });

    it('links the next page and leaves both headers off the last one and off an unpaged list', async () => {
      const first = await h.as('SEEDUWA-OFFICER', 'GET', '/order?order_code=PAGED&limit=200');
      expect(first.statusCode).toBe(200);
      const next = first.headers[NEXT_CURSOR_HEADER];
      expect(typeof next).toBe('string');
      expect(first.headers.link).toBe(`</order?order_code=PAGED&limit=200&cursor=${String(next)}>; rel="next"`);
      const last = await h.as('SEEDUWA-OFFICER', 'GET', `/order?order_code=PAGED&limit=200&cursor=${String(next)}`);
      expect([last.statusCode, last.json().length, last.headers[NEXT_CURSOR_HEADER], last.headers.link]).toEqual([
        200,
        50,
        undefined,
        undefined,
      ]);
      const unpaged = await h.as('SEEDUWA-OFFICER', 'GET', '/order');
      expect([unpaged.json().length, unpaged.headers[NEXT_CURSOR_HEADER]]).toEqual([total + 7, undefined]);
    });

    it('documents the paging parameters and the next-page headers', async () => {
      const doc = (await h.as('SEEDUWA-OFFICER', 'GET', '/openapi.json')).json();
      const list = doc.paths['/order'].get;
      expect(
        list.parameters
          .filter((p: { in: string; name: string }) => p.in === 'query' && ['limit', 'cursor'].includes(p.name))
          .map((p: { name: string }) => p.name)
          .sort(),
      ).toEqual(['cursor', 'limit']);
      expect(Object.keys(list.responses['200'].headers ?? {}).sort()).toEqual(['link', NEXT_CURSOR_HEADER]);
    });

    it('refuses a cursor it did not hand out and a limit out of range, with stable codes', async () => {
      const refusals: [string, string][] = [
        ['cursor=not-a-cursor', 'CURSOR_INVALID'],
        [`cursor=${encodeCursor({ request_code: 1 })}`, 'CURSOR_INVALID'],
        [`cursor=${encodeCursor(['x1'])}`, 'CURSOR_INVALID'],
        ['cursor=a%2Bb', 'REQUEST_VALIDATION_FAILED'],
        ['limit=0', 'REQUEST_VALIDATION_FAILED'],
        ['limit=1001', 'REQUEST_VALIDATION_FAILED'],
      ];
      for (const [query, code] of refusals) {
        const answer = await h.as('SEEDUWA-OFFICER', 'GET', `/order?${query}`);
        expect([query, answer.statusCode, answer.json().code]).toEqual([query, 400, code]);
      }
    });
  });
}
