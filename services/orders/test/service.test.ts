import { testDatabases } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';
import { DEMO_ORDER_CODE } from '../src/seed.js';
import { service } from '../src/service.js';
import { useOrders } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: service definition`, () => {
    const h = useOrders(target);

    it('seeds a plan, a request with a split shipment and a schedule, once', async () => {
      await service.seed!(h.context);
      const counts = await h.counts();
      await service.seed!(h.context);
      expect(await h.counts()).toEqual(counts);
      const [plan] = (await h.as('GRANDPASS-OFFICER', 'GET', `/order/plan?order_code=${DEMO_ORDER_CODE}`)).json();
      expect(plan).toMatchObject({ requirement: '2000', item_code: 'BLT00042', allowed: '1500' });
      const [order] = (await h.as('SEEDUWA-OFFICER', 'GET', `/order?order_code=${DEMO_ORDER_CODE}`)).json();
      expect(
        order.shipments.map((s: { shipment_code: number; quantity: string; status: string }) => [s.shipment_code, s.quantity, s.status]),
      ).toEqual([
        [1, '300', 'ORDER_READY'],
        [2, '200', 'ORDER_REQUESTED'],
      ]);
      expect((await h.as('GRANDPASS-DEV-MACHINE', 'GET', '/order/schedule')).json()).toHaveLength(1);
    });

    it('documents every route in OpenAPI with its schemas', async () => {
      const document = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );
      for (const operation of [
        'GET /order/plan',
        'POST /order/plan',
        'DELETE /order/plan',
        'GET /order',
        'POST /order',
        'PUT /order/shipment',
        'POST /order/shipment/event',
        'GET /order/schedule',
        'POST /order/schedule',
        'PUT /order/schedule',
        'GET /admin/user',
        'POST /admin/user',
        'DELETE /admin/user',
        'GET /admin/group',
        'POST /internal/events',
        'GET /internal/outbox',
      ]) {
        expect(operations).toContain(operation);
      }
      const upload = document.paths['/order/plan'].post.requestBody.content;
      expect(Object.keys(upload).sort()).toEqual([
        'application/json',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'multipart/form-data',
      ]);
    });

    it('counts business events on /metrics', async () => {
      const text = (await h.asService('test', 'GET', '/metrics')).body;
      // The seed ran through the services directly; these come from the HTTP calls below.
      const rc = (await h.as('SEEDUWA-OFFICER', 'GET', `/order?order_code=${DEMO_ORDER_CODE}`)).json()[0].request_code;
      await h.as('SEEDUWA-OFFICER', 'PUT', '/order/shipment', [{ request_code: rc, shipment_code: 2, quantity: '100' }]);
      await h.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [
        { request_code: rc, shipment_code: 3, status: 'ORDER_NOT_READY', order_remarks: 'later' },
      ]);
      const after = (await h.asService('test', 'GET', '/metrics')).body;
      expect(text).not.toMatch(/orders_shipment_splits_total\{[^}]*\} 1/);
      expect(after).toMatch(/orders_shipment_splits_total\{[^}]*\} 1/);
      expect(after).toMatch(/orders_shipment_events_total\{status="ORDER_NOT_READY",automatic="false"[^}]*\} 1/);
    });

    it('answers health probes without a signature', async () => {
      expect((await h.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    });

    it('fails fast on bad settings', async () => {
      await expect(service.buildApp({ ...h.context, env: { ORDERS_MAX_BULK_ITEMS: 'many' } })).rejects.toThrow(/ORDERS_MAX_BULK_ITEMS/);
    });
  });
}
