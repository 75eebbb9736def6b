import { conflict, silentLogger } from '@tributary/platform/core';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { Type } from '@sinclair/typebox';
import { testAuth, testDatabases } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrders, type OrdersHarness } from './support.js';

interface Seen {
  method: string;
  url: string;
  principal: string | undefined;
  roles: string[];
  key: string | undefined;
  body: unknown;
}

/** A signed stand-in for processing that echoes what it was sent and refuses one path. */
async function processingStub(seen: Seen[]): Promise<{ app: HttpApp; url: string }> {
  const app = await createHttpApp({ name: 'processing-stub', logger: silentLogger(), auth: testAuth() });
  const handler = async (request: any, reply: any) => {
    seen.push({
      method: request.method,
      url: request.url,
      principal: request.identity?.principal,
      roles: request.identity?.roles ?? [],
      key: request.headers['idempotency-key'],
      body: request.body,
    });
    if (request.url.startsWith('/app/refuse'))
      throw conflict('RECORD_DISPATCHED', 'bag has been dispatched', { details: { barcode: 'b-1' } });
    void reply.code(request.method === 'POST' ? 201 : 200);
    return { echoed: request.method, query: request.query, body: request.body ?? null };
  };
  app.route({ method: ['GET', 'DELETE'], url: '/app/*', schema: { querystring: Type.Record(Type.String(), Type.String()) }, handler });
  app.route({ method: ['POST', 'PUT', 'PATCH'], url: '/app/*', schema: { body: Type.Unknown() }, handler });
  await app.ready();
  return { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
}

for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: ANY /central/* → processing /app/*`, () => {
    let h: OrdersHarness;
    let stub: { app: HttpApp; url: string };
    let down: OrdersHarness;
    const seen: Seen[] = [];
    beforeAll(async () => {
      stub = await processingStub(seen);
      h = await startOrders(target, {}, { processing: stub.url });
      down = await startOrders(target, {}, { processing: 'http://127.0.0.1:9' });
    });
    afterAll(async () => {
      await h?.close();
      await down?.close();
      await stub?.app.close();
    });

    it('keeps method, raw path, query, body and status; signs as orders on behalf of the user', async () => {
      const get = await h.as('SEEDUWA-OFFICER', 'GET', '/central/flavorsheet/FS%2F01/composition?search=green%20tea&page=2');
      expect(get.statusCode).toBe(200);
      expect(get.json()).toEqual({ echoed: 'GET', query: { search: 'green tea', page: '2' }, body: null });
      const post = await h.as(
        'SEEDUWA-OFFICER',
        'POST',
        '/central/tealine/record',
        { item_code: 'T1', gross_weight: 51 },
        { 'idempotency-key': 'weigh-1' },
      );
      expect(post.statusCode).toBe(201);
      expect(post.json()).toEqual({ echoed: 'POST', query: {}, body: { item_code: 'T1', gross_weight: 51 } });
      expect(seen.map((s) => [s.method, s.url, s.principal, s.roles, s.key])).toEqual([
        ['GET', '/app/flavorsheet/FS%2F01/composition?search=green%20tea&page=2', 'orders', ['SEEDUWA-OFFICER'], undefined],
        ['POST', '/app/tealine/record', 'orders', ['SEEDUWA-OFFICER'], 'weigh-1'],
      ]);
    });

    it("passes processing's error body through unchanged", async () => {
      const refused = await h.as('SEEDUWA-OFFICER', 'PUT', '/central/refuse/record', { barcode: 'b-1' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'RECORD_DISPATCHED', message: 'bag has been dispatched', details: { barcode: 'b-1' } });
    });

    it('refuses callers without an MTP group, and answers 503 with a stable code when processing is down', async () => {
      const unsigned = await h.app.inject({ method: 'GET', url: '/central/location' });
      expect(unsigned.statusCode).toBe(401);
      const noGroup = await h.as('SOMEONE', 'GET', '/central/location');
      expect([noGroup.statusCode, noGroup.json().code]).toEqual([403, 'ROLE_FORBIDDEN']);
      const outage = await down.as('SEEDUWA-OFFICER', 'GET', '/central/location');
      expect([outage.statusCode, outage.json().code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    });
  });
}
