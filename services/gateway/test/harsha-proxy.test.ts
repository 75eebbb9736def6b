import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { asTables } from '@tributary/platform/db';
import { createHttpApp, publicAccess } from '@tributary/platform/http';
import { testAuth, testDatabases } from '@tributary/platform/testing';
import type { GatewayDatabase } from '../src/db/schema.js';
import { RoutesRepository } from '../src/features/routing/routes.repository.js';
import { createUser, gatewayBed, PASSWORD, seedRoutes, type TestGateway } from './support.js';
import { harshaClient, type HarshaClient } from './harsha-support.js';

interface Seen {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  user: unknown;
}

/** A signed erp stand-in answering the paths the gateway forwards to, and recording what arrived. */
async function startErp(seen: Seen[]): Promise<{ url: string; app: FastifyInstance }> {
  const app = (await createHttpApp({ name: 'erp', logger: silentLogger(), auth: testAuth() })) as unknown as FastifyInstance;
  const open = { config: { access: publicAccess('test upstream') } };
  app.route({
    method: ['GET', 'POST'],
    url: '/*',
    ...open,
    handler: async (request, reply) => {
      const path = request.url.split('?')[0]!;
      seen.push({
        method: request.method,
        path,
        query: request.query as Record<string, unknown>,
        body: request.body,
        user: (request as { identity?: { user?: unknown } }).identity?.user,
      });
      if (path === '/customers/CUST-001/segments/primary') return { segment: { segment_code: 'WHOLESALE', segment_name: 'Wholesale' } };
      if (path.endsWith('/segments/primary')) return reply.code(404).send({ code: 'NO_PRIMARY_SEGMENT', message: 'none', requestId: 'x' });
      return { path, query: request.query };
    },
  });
  return { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the original proxy pre-handlers and business routes`, () => {
    const bed = gatewayBed(target);
    const seen: Seen[] = [];
    let gateway: TestGateway;
    let client: HarshaClient;
    let token: string;

    beforeAll(async () => {
      await seedRoutes(new RoutesRepository(asTables<GatewayDatabase>(bed.handle.database.db)));
      const erp = bed.closing(await startErp(seen), (upstream) => upstream.app.close());
      const sync = await bed.upstream('sync');
      gateway = await bed.gateway({ peers: { erp: erp.url, sync: sync.url } });
      client = await harshaClient(gateway);
      await createUser(gateway, 'sales-analyst', 'analyst');
      const login = await client.call('POST', '/api/v1/auth/login', {
        body: { email: 'sales-analyst@test.local', password: PASSWORD, application: 'b2b', rememberMe: false },
      });
      token = login.body.data?.accessToken as string;
    });

    const last = () => seen[seen.length - 1]!;

    it('prices a customer by their real segment and names it in X-Customer-Segment', async () => {
      const answer = await client.call('GET', '/api/v1/proxy/customers/CUST-001/pricing', { token });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-customer-segment')).toBe('WHOLESALE');
      expect(answer.body).toMatchObject({ success: true, data: { segment: { segment_code: 'WHOLESALE' } } });
      expect(last()).toMatchObject({ method: 'GET', path: '/customers/CUST-001/segments/primary', user: 'usr_sales_analyst' });
      const none = await client.call('GET', '/api/v1/proxy/customers/CUST-404/pricing', { token });
      expect(none.status).toBe(404);
      expect(none.headers.get('x-customer-segment')).toBe('none');
      expect(none.body).toMatchObject({ success: false, code: 'NO_PRIMARY_SEGMENT' });
    });

    it('lists batches expiring within the given days', async () => {
      const answer = await client.call('GET', '/api/v1/proxy/inventory/batches/expiring?days=14', { token });
      expect(answer.status).toBe(200);
      expect(last()).toMatchObject({ path: '/batches/expiring', query: { within_days: '14' } });
      await client.call('GET', '/api/v1/proxy/inventory/batches/expiring', { token });
      expect(last().query).toEqual({ within_days: '30' });
      const bad = await client.call('GET', '/api/v1/proxy/inventory/batches/expiring?days=-1', { token });
      expect(bad.status).toBe(400);
      expect(bad.body.success).toBe(false);
    });

    it('reads an item live with no-cache and X-Real-Time', async () => {
      const answer = await client.call('GET', '/api/v1/proxy/inventory/realtime/CHOC-BAR-100', { token });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-real-time')).toBe('true');
      expect(answer.headers.get('cache-control')).toContain('no-cache');
      expect(last()).toMatchObject({ path: '/batches', query: { item: 'CHOC-BAR-100' } });
    });

    it('checks an order before erp processes it', async () => {
      const before = seen.length;
      for (const body of [
        { items: [{ item_code: 'A', qty: 1 }] },
        { customer: 'CUST-001', items: [] },
        { customer: 'CUST-001', items: [{ item_code: 'A', qty: 0 }] },
      ]) {
        const refused = await client.call('POST', '/api/v1/proxy/orders/process', { token, body });
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({ success: false, code: 'ORDER_VALIDATION_ERROR' });
      }
      expect(seen.length).toBe(before);
      const order = { customer: 'CUST-001', items: [{ item_code: 'CHOC-BAR-100', qty: 12 }] };
      const answer = await client.call('POST', '/api/v1/proxy/orders/process', { token, body: order });
      expect(answer.status).toBe(200);
      expect(last()).toMatchObject({ method: 'POST', path: '/orders/process', body: order });
      const anonymous = await client.call('POST', '/api/v1/proxy/orders/process', { body: {} });
      expect(anonymous.status).toBe(401);
    });

    it('routes the documented business paths to erp', async () => {
      const cases: Array<[string, string, string]> = [
        ['GET', '/api/v1/customers', '/customers'],
        ['GET', '/api/v1/customers/CUST-001', '/customers/CUST-001'],
        ['GET', '/api/v1/items', '/items'],
        ['GET', '/api/v1/inventory/stock-levels', '/batches'],
        ['GET', '/api/v1/inventory/batch-info', '/batches'],
        ['POST', '/api/v1/pricing/calculate', '/pricing/calculate'],
        ['GET', '/api/v1/orders', '/orders'],
        ['POST', '/api/v1/orders', '/orders/process'],
      ];
      for (const [method, path, upstream] of cases) {
        const answer = await client.call(method, path, {
          token,
          ...(method === 'POST' ? { body: { customer: 'CUST-001', items: [] } } : {}),
        });
        expect([path, answer.status]).toEqual([path, 200]);
        expect(last()).toMatchObject({ method, path: upstream });
      }
      const generic = await client.call('GET', '/api/v1/proxy/items?item_group=Chocolate', { token });
      expect(generic.body).toMatchObject({ success: true, data: { path: '/items' } });
      expect(last()).toMatchObject({ path: '/items', query: { item_group: 'Chocolate' } });
    });
  });
}
