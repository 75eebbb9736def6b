import { randomUUID } from 'node:crypto';
import { conflict, silentLogger } from '@tributary/platform/core';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { testAuth, testDatabases } from '@tributary/platform/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planAndRequest, startOrders, type OrdersHarness } from './support.js';

interface Seen {
  method: string;
  url: string;
  principal: string | undefined;
  user: string | undefined;
  roles: string[];
  idempotencyKey: string | undefined;
  body: unknown;
}

/**
 * A stand-in for the processing service: a real HTTP server that verifies the SigV4 signature
 * (so the forwarding is signed for real) and records what it was asked.
 */
async function processingStub(seen: Seen[], failOn: { barcode?: string; itemCode?: string }): Promise<{ app: HttpApp; url: string }> {
  const app = await createHttpApp({ name: 'processing-stub', logger: silentLogger(), auth: testAuth() });
  const record = (request: {
    method: string;
    url: string;
    identity?: { principal: string; user?: string; roles: string[] };
    headers: Record<string, unknown>;
    body: unknown;
  }) =>
    seen.push({
      method: request.method,
      url: request.url,
      principal: request.identity?.principal,
      user: request.identity?.user,
      roles: request.identity?.roles ?? [],
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
      body: request.body,
    });
  app.get('/app/trader/blendsheet/batch', async (request) => {
    record(request);
    return [{ item_code: 'BATCH-1', created_ts: 1, trader_status: 'TRADER_PENDING' }];
  });
  app.put('/app/trader/blendsheet/batch', async (request) => {
    record(request);
    const body = request.body as { item_code: string };
    if (body.item_code === failOn.itemCode) throw conflict('TRADER_TRANSITION_INVALID', 'The batch is not awaiting a trader decision');
    return request.body;
  });
  app.get('/app/shipment/record', async (request) => {
    record(request);
    return [{ table: 'blendsheet', barcode: 'b', amount: '10.00', remaining: '4.00' }];
  });
  app.get('/app/parcel/record', async (request) => {
    record(request);
    return [{ barcode: 'b', schedule_code: 1, amount: '6.00', tbl: 'blendsheet' }];
  });
  for (const path of ['/app/blendsheet/record/shipment', '/app/blendsheet/record/parcel', '/app/tealine/record/shipment']) {
    app.post(path, async (request) => {
      record(request);
      const body = request.body as { barcode: string };
      if (body.barcode === failOn.barcode)
        throw conflict('ALLOCATION_EXCEEDS_BAG', 'The bag has 2.00 kg left', { details: { remaining: '2.00' } });
      return { barcode: body.barcode };
    });
  }
  await app.ready();
  return { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: passed through to processing (/trader, /order/record/*)`, () => {
    let h: OrdersHarness;
    let stub: { app: HttpApp; url: string };
    const seen: Seen[] = [];
    const failOn: { barcode?: string; itemCode?: string } = {};
    let rc: number;
    let scheduleCode: number;
    beforeAll(async () => {
      stub = await processingStub(seen, failOn);
      h = await startOrders(target, {}, { processing: stub.url });
      rc = await planAndRequest(h, { orderCode: 'CENTRAL' });
      const schedules = await h.as('GRANDPASS-OFFICER', 'POST', '/order/schedule', [
        { schedule_date: '2026-03-02', order_code: 'CENTRAL', shift: 'DAY', section: 'L1', quantity: '10' },
        { schedule_date: '2026-03-02', order_code: 'CENTRAL', shift: 'DAY', section: 'L2', quantity: '10' },
      ]);
      scheduleCode = schedules.json()[0].schedule_code;
      await h.as('GRANDPASS-DEV-MACHINE', 'PUT', '/order/schedule', [{ schedule_code: scheduleCode + 1 }]);
    });
    beforeEach(() => {
      seen.length = 0;
      delete failOn.barcode;
      delete failOn.itemCode;
    });
    afterAll(async () => {
      await h?.close();
      await stub?.app.close();
    });

    it('reads trader batches, shipment bags and parcels from processing on behalf of the user', async () => {
      const trader = await h.as('TRADER-OFFICER', 'GET', '/trader?trader_status=TRADER_REQUESTED');
      expect(trader.statusCode).toBe(200);
      expect(trader.json()).toEqual([{ item_code: 'BATCH-1', created_ts: 1, trader_status: 'TRADER_PENDING' }]);
      const bags = await h.as('GRANDPASS-GATEPASS', 'GET', `/order/record/shipment?request_code=${rc}&shipment_code=1`);
      expect(bags.json()[0]).toMatchObject({ barcode: 'b', remaining: '4.00' });
      const parcels = await h.as('GRANDPASS-DEV-MACHINE', 'GET', `/order/record/parcel?schedule_code=${scheduleCode}`);
      expect(parcels.json()[0]).toMatchObject({ tbl: 'blendsheet' });
      expect(seen.map((s) => [s.method, s.url, s.principal, s.user, s.roles])).toEqual([
        ['GET', '/app/trader/blendsheet/batch?trader_status=TRADER_REQUESTED', 'orders', 'user-TRADER-OFFICER', ['TRADER-OFFICER']],
        ['GET', `/app/shipment/record?request_code=${rc}&shipment_code=1`, 'orders', 'user-GRANDPASS-GATEPASS', ['GRANDPASS-GATEPASS']],
        ['GET', `/app/parcel/record?schedule_code=${scheduleCode}`, 'orders', 'user-GRANDPASS-DEV-MACHINE', ['GRANDPASS-DEV-MACHINE']],
      ]);
    });

    it('sets trader statuses one batch at a time, by PUT or POST', async () => {
      const body = [
        { item_code: 'BATCH-1', created_ts: '1700000000000', trader_status: 'TRADER_ALLOWED' },
        { item_code: 'BATCH-2', created_ts: 1700000000001, trader_status: 'TRADER_ELEVATED' },
      ];
      const put = await h.as('TRADER-OFFICER', 'PUT', '/trader', body, { 'idempotency-key': 'trader-1' });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toEqual([
        { item_code: 'BATCH-1', created_ts: 1700000000000, trader_status: 'TRADER_ALLOWED' },
        { item_code: 'BATCH-2', created_ts: 1700000000001, trader_status: 'TRADER_ELEVATED' },
      ]);
      expect(seen.map((s) => s.idempotencyKey)).toEqual(['trader-1:0', 'trader-1:1']);
      const post = await h.as('SEEDUWA-OFFICER', 'POST', '/trader', [
        { item_code: 'BATCH-3', created_ts: 1, trader_status: 'TRADER_REQUESTED' },
      ]);
      expect(post.statusCode).toBe(200);
      expect(seen.at(-1)).toMatchObject({ method: 'PUT', roles: ['SEEDUWA-OFFICER'] });
    });

    it('answers every trader element: 207 with the refused ones explained, the rest applied', async () => {
      failOn.itemCode = 'BATCH-2';
      const body = [
        { item_code: 'BATCH-1', created_ts: 1, trader_status: 'TRADER_ALLOWED' },
        { item_code: 'BATCH-2', created_ts: 2, trader_status: 'TRADER_ALLOWED' },
        { item_code: 'BATCH-3', created_ts: 3, trader_status: 'TRADER_BLOCKED' },
      ];
      const response = await h.as('TRADER-OFFICER', 'PUT', '/trader', body);
      expect(response.statusCode).toBe(207);
      expect(response.json()).toEqual([
        { item_code: 'BATCH-1', created_ts: 1, trader_status: 'TRADER_ALLOWED' },
        {
          item_code: 'BATCH-2',
          created_ts: 2,
          error: { status: 409, code: 'TRADER_TRANSITION_INVALID', message: 'The batch is not awaiting a trader decision' },
        },
        { item_code: 'BATCH-3', created_ts: 3, trader_status: 'TRADER_BLOCKED' },
      ]);
      expect(seen).toHaveLength(3);
    });

    it('allocates bags to a known shipment and parcels into an open schedule', async () => {
      const barcode = randomUUID();
      const allocated = await h.as('SEEDUWA-OFFICER', 'PUT', '/order/record/shipment', [
        { table_name: 'blendsheet', barcode, request_code: rc, shipment_code: 1, amount: 12.5 },
      ]);
      expect(allocated.json()).toEqual([{ barcode }]);
      const parcelled = await h.as('GRANDPASS-DEV-MACHINE', 'POST', '/order/record/parcel', [
        { table_name: 'blendsheet', barcode, request_code: rc, shipment_code: 1, schedule_code: scheduleCode, reduced_by: '2.25' },
      ]);
      expect(parcelled.json()).toEqual([{ barcode }]);
      expect(seen.map((s) => [s.url, s.body])).toEqual([
        ['/app/blendsheet/record/shipment', { barcode, request_code: rc, shipment_code: 1, amount: '12.5' }],
        ['/app/blendsheet/record/parcel', { barcode, request_code: rc, shipment_code: 1, schedule_code: scheduleCode, reduced_by: '2.25' }],
      ]);
    });

    it("passes processing's refusal on with its code, saying which element failed and how many went through", async () => {
      const [ok, bad] = [randomUUID(), randomUUID()];
      failOn.barcode = bad;
      const response = await h.as('SEEDUWA-OFFICER', 'PUT', '/order/record/shipment', [
        { table_name: 'blendsheet', barcode: ok, request_code: rc, shipment_code: 1, amount: '1' },
        { table_name: 'blendsheet', barcode: bad, request_code: rc, shipment_code: 1, amount: '5' },
        { table_name: 'tealine', barcode: randomUUID(), request_code: rc, shipment_code: 1, amount: '1' },
      ]);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({
        code: 'ALLOCATION_EXCEEDS_BAG',
        details: { index: 1, applied: 1, remaining: '2.00', upstream: 'processing' },
      });
      expect(seen).toHaveLength(2);
    });

    it('checks what it owns before calling: unknown shipments, unknown or completed schedules, bad input', async () => {
      const cases: [string, 'PUT' | 'POST', string, unknown, number, string][] = [
        [
          'SEEDUWA-OFFICER',
          'PUT',
          '/order/record/shipment',
          [{ table_name: 'blendsheet', barcode: randomUUID(), request_code: rc, shipment_code: 9, amount: '1' }],
          404,
          'SHIPMENT_NOT_FOUND',
        ],
        [
          'SEEDUWA-OFFICER',
          'PUT',
          '/order/record/shipment',
          [{ table_name: 'blendsheet', barcode: randomUUID(), request_code: rc, shipment_code: 1, amount: '0' }],
          400,
          'ORDER_QUANTITY_INVALID',
        ],
        [
          'SEEDUWA-OFFICER',
          'PUT',
          '/order/record/shipment',
          [{ table_name: 'sugar', barcode: randomUUID(), request_code: rc, shipment_code: 1, amount: '1' }],
          400,
          'REQUEST_VALIDATION_FAILED',
        ],
        [
          'GRANDPASS-DEV-MACHINE',
          'POST',
          '/order/record/parcel',
          [{ table_name: 'blendsheet', barcode: randomUUID(), request_code: rc, shipment_code: 1, schedule_code: 999, reduced_by: '1' }],
          404,
          'SCHEDULE_NOT_FOUND',
        ],
        [
          'GRANDPASS-DEV-MACHINE',
          'POST',
          '/order/record/parcel',
          [
            {
              table_name: 'blendsheet',
              barcode: randomUUID(),
              request_code: rc,
              shipment_code: 1,
              schedule_code: scheduleCode + 1,
              reduced_by: '1',
            },
          ],
          409,
          'SCHEDULE_COMPLETED',
        ],
        [
          'TRADER-OFFICER',
          'PUT',
          '/trader',
          [{ item_code: 'B', created_ts: 1, trader_status: 'TRADER_DONE' }],
          400,
          'REQUEST_VALIDATION_FAILED',
        ],
      ];
      for (const [group, method, url, body, status, code] of cases) {
        const response = await h.as(group, method, url, body);
        expect([url, response.statusCode, response.json().code]).toEqual([url, status, code]);
      }
      expect(seen).toEqual([]);
    });

    it('refuses groups outside the matrix (403) without calling processing', async () => {
      const checks: [string, 'GET' | 'PUT' | 'POST', string, unknown?][] = [
        ['GRANDPASS-OFFICER', 'GET', '/trader'],
        ['GRANDPASS-SUPERVISOR', 'PUT', '/trader', [{ item_code: 'B', created_ts: 1, trader_status: 'TRADER_ALLOWED' }]],
        ['SEEDUWA-OFFICER', 'GET', `/order/record/shipment?request_code=${rc}&shipment_code=1`],
        [
          'GRANDPASS-GATEPASS',
          'PUT',
          '/order/record/shipment',
          [{ table_name: 'blendsheet', barcode: randomUUID(), request_code: rc, shipment_code: 1, amount: '1' }],
        ],
        ['GRANDPASS-OFFICER', 'GET', `/order/record/parcel?schedule_code=${scheduleCode}`],
        [
          'SEEDUWA-OFFICER',
          'POST',
          '/order/record/parcel',
          [
            {
              table_name: 'blendsheet',
              barcode: randomUUID(),
              request_code: rc,
              shipment_code: 1,
              schedule_code: scheduleCode,
              reduced_by: '1',
            },
          ],
        ],
      ];
      for (const [group, method, url, body] of checks) {
        expect([group, url, (await h.as(group, method, url, body)).statusCode]).toEqual([group, url, 403]);
      }
      expect(seen).toEqual([]);
    });
  });

  describe(`${target.label}: processing not configured or down`, () => {
    let h: OrdersHarness;
    afterAll(async () => h?.close());

    it('answers 503 with a stable code', async () => {
      h = await startOrders(target);
      const response = await h.as('TRADER-OFFICER', 'GET', '/trader');
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe('PROCESSING_NOT_CONFIGURED');
      const down = await startOrders(target, {}, { processing: 'http://127.0.0.1:9' });
      try {
        const refused = await down.as('TRADER-OFFICER', 'GET', '/trader');
        expect(refused.statusCode).toBe(503);
        expect(refused.json().code).toBe('UPSTREAM_UNAVAILABLE');
      } finally {
        await down.close();
      }
    });
  });
}
