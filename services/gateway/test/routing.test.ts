import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { RoutesRepository } from '../src/features/routing/routes.repository.js';
import { demoUsers, seed } from '../src/seed.js';
import { bearer, createUser, login, gatewayBed, postRoute, tokenFor, type TestGateway, type Upstream } from './support.js';

const DEMO = 'tributary-demo';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: routing, RBAC, balancing, edge`, () => {
    const bed = gatewayBed(target);
    let a: TestGateway;
    let b: TestGateway;
    const up: Record<string, Upstream> = {};
    let admin: string;

    beforeAll(async () => {
      for (const name of ['orders', 'processing', 'erp', 'sync']) up[name] = await bed.upstream(name);
      // Operator-configured upstreams outside Tributary: no signature expected.
      for (const name of ['t1', 't2', 't3']) up[name] = await bed.upstream(name, { verify: false });
      const peers = { orders: up.orders!.url, processing: up.processing!.url, erp: up.erp!.url, sync: up.sync!.url };
      a = await bed.gateway({ peers, env: { BODY_LIMIT_BYTES: '2048' } });
      // Two replicas starting together on a new database seed at the same time; then a restart.
      await Promise.all([seed(a.context), seed(a.context)]);
      await seed(a.context);
      await a.deps.routeLoader.reload();
      b = await bed.gateway({ peers });
      admin = await tokenFor(a, 'admin', DEMO);
      await createUser(a, 'analyst', 'analyst');
    });

    // The routes these tests add are open and reach plain upstreams.
    const createRoute = async (body: Record<string, unknown>) => {
      const response = await postRoute(a, admin, {
        serviceName: 'demo',
        routeName: 'demo',
        httpMethod: 'GET',
        upstreamAuth: 'none',
        authenticationRequired: false,
        ...body,
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    };

    it('seeds demo users for every MTP group plus admin, once', async () => {
      const users = await a.app.inject({ method: 'GET', url: '/api/v1/admin/users?limit=100', headers: bearer(admin) });
      const names = users.json().items.map((u: { username: string }) => u.username);
      for (const user of demoUsers()) expect(names).toContain(user.username);
      expect(users.json().total).toBe(demoUsers().length + 1);
      expect((await login(a, 'trader-officer', 'tributary-demo')).statusCode).toBe(200);
      const filtered = await a.app.inject({ method: 'GET', url: '/api/v1/admin/users?role=TRADER-OFFICER', headers: bearer(admin) });
      expect(filtered.json().items.map((u: { username: string }) => u.username)).toEqual(['trader-officer']);
    });

    it('rewrites /central/* to processing /app/*, signs identity, passes request id and traceparent', async () => {
      const token = await tokenFor(a, 'seeduwa-officer', DEMO);
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const response = await a.app.inject({
        method: 'GET',
        url: '/central/tealine/record?barcode=abc',
        headers: { ...bearer(token), 'x-request-id': 'req-12345', traceparent },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ service: 'processing', path: '/app/tealine/record', query: { barcode: 'abc' } });
      expect(response.json().identity).toEqual({ principal: 'gateway', user: 'usr_seeduwa_officer', roles: ['SEEDUWA-OFFICER'] });
      expect(up.processing!.last!.headers['x-request-id']).toBe('req-12345');
      expect(String(up.processing!.last!.headers.traceparent)).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
      expect(up.processing!.last!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
      const versioned = await a.app.inject({ method: 'GET', url: '/api/v1/processing/app/tealine', headers: bearer(token) });
      expect(versioned.json().path).toBe('/app/tealine');
    });

    it('applies the MTP matrix per method and path', async () => {
      const cases: Array<[string, 'GET' | 'POST' | 'PUT' | 'DELETE', string, number]> = [
        ['trader-officer', 'GET', '/trader', 200],
        ['trader-officer', 'PUT', '/trader', 200],
        ['trader-officer', 'POST', '/trader', 403],
        ['seeduwa-officer', 'POST', '/trader', 200],
        ['grandpass-officer', 'POST', '/order', 200],
        ['grandpass-supervisor', 'POST', '/order', 403],
        ['grandpass-supervisor', 'POST', '/order/shipment/event', 200],
        ['grandpass-gatepass', 'GET', '/order/record/shipment', 200],
        ['grandpass-dev-machine', 'PUT', '/order/schedule', 200],
        ['grandpass-officer', 'PUT', '/order/schedule', 403],
        ['grandpass-admin', 'DELETE', '/order/plan', 200],
        ['grandpass-officer', 'DELETE', '/order/plan', 403],
        ['trader-officer', 'GET', '/admin/user', 403],
        ['seeduwa-admin', 'GET', '/admin/user', 200],
        ['seeduwa-admin', 'POST', '/admin/user', 403],
        ['master-admin', 'POST', '/admin/user', 200],
        ['trader-officer', 'GET', '/api/v1/orders/admin/user', 403],
        ['admin', 'DELETE', '/admin/user', 200],
      ];
      const tokens = new Map<string, string>();
      for (const [user, method, url, status] of cases) {
        if (!tokens.has(user)) tokens.set(user, await tokenFor(a, user, DEMO));
        const response = await a.app.inject({
          method,
          url,
          headers: { ...bearer(tokens.get(user)!), 'content-type': 'application/json' },
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: '[]' }),
        });
        expect(response.statusCode, `${user} ${method} ${url}: ${response.body}`).toBe(status);
        if (status === 403) expect(response.json().code).toBe('ROLE_ACCESS_DENIED');
      }
    });

    it('picks up a new route on another replica without a restart', async () => {
      const route = await createRoute({ pathPattern: '/ext/items/{id}', upstreamUrl: up.t1!.url, upstreamPath: '/catalog/{id}' });
      expect((await a.app.inject({ method: 'GET', url: '/ext/items/42' })).json().path).toBe('/catalog/42');
      expect((await b.app.inject({ method: 'GET', url: '/ext/items/42' })).statusCode).toBe(404);
      await b.deps.routeLoader.checkForChanges();
      expect((await b.app.inject({ method: 'GET', url: '/ext/items/42' })).json().path).toBe('/catalog/42');
      await a.app.inject({
        method: 'PATCH',
        url: `/api/v1/admin/routes/${route.routeId}`,
        headers: bearer(admin),
        payload: { isActive: false },
      });
      await b.deps.routeLoader.checkForChanges();
      expect((await b.app.inject({ method: 'GET', url: '/ext/items/42' })).statusCode).toBe(404);
      expect(
        (
          await postRoute(a, admin, {
            pathPattern: '/bad/{x y}',
            httpMethod: 'GET',
            serviceName: 'x',
            upstreamUrl: 'http://a',
            routeName: 'x',
          })
        ).json().code,
      ).toBe('INVALID_ROUTE');
      expect(
        (
          await postRoute(a, admin, { pathPattern: '/ok', httpMethod: 'GET', serviceName: 'x', upstreamUrl: 'ftp://a', routeName: 'x' })
        ).json().code,
      ).toBe('INVALID_ROUTE');
    });

    it('balances round robin, weighted round robin and least connections', async () => {
      const servers = [
        { url: up.t1!.url, weight: 3 },
        { url: up.t2!.url, weight: 1 },
      ];
      for (const [pathPattern, loadBalancerType] of [
        ['/lb/rr', 'round_robin'],
        ['/lb/w', 'weighted'],
        ['/lb/lc', 'least_connections'],
      ]) {
        await createRoute({ pathPattern, upstreamUrl: up.t1!.url, upstreamServers: servers, loadBalancerType });
      }
      const count = async (url: string, n: number) => {
        const seen: Record<string, number> = {};
        for (let i = 0; i < n; i++) {
          const service = (await a.app.inject({ method: 'GET', url })).json().service as string;
          seen[service] = (seen[service] ?? 0) + 1;
        }
        return seen;
      };
      expect(await count('/lb/rr', 8)).toEqual({ t1: 4, t2: 4 });
      expect(await count('/lb/w', 8)).toEqual({ t1: 6, t2: 2 });
      // Hold t1 busy: least connections then sends everything else to t2.
      let release!: () => void;
      up.t1!.hold = new Promise<void>((resolve) => (release = resolve));
      const held: Array<Promise<unknown>> = [];
      const t1Before = up.t1!.hits;
      while (up.t1!.hits === t1Before) {
        const t2Before = up.t2!.hits;
        held.push(a.app.inject({ method: 'GET', url: '/lb/lc' }));
        while (up.t1!.hits === t1Before && up.t2!.hits === t2Before) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const spread = await count('/lb/lc', 4);
      up.t1!.hold = undefined;
      release();
      await Promise.all(held);
      expect(spread).toEqual({ t2: 4 });
    });

    it('answers 504 when the upstream is slower than the route timeout', async () => {
      await createRoute({
        pathPattern: '/slow',
        upstreamUrl: up.t3!.url,
        timeoutSeconds: 1,
        retryAttempts: 0,
        circuitBreakerEnabled: false,
      });
      let release!: () => void;
      up.t3!.hold = new Promise<void>((resolve) => (release = resolve));
      const response = await a.app.inject({ method: 'GET', url: '/slow' });
      release();
      up.t3!.hold = undefined;
      expect(response.statusCode).toBe(504);
      expect(response.json().code).toBe('UPSTREAM_TIMEOUT');
    });

    it('answers CORS preflight at the edge from the route allowlist', async () => {
      await createRoute({ pathPattern: '/cors/*', httpMethod: 'ANY', upstreamUrl: up.t3!.url, corsOrigins: ['https://console.example'] });
      const hitsBefore = up.t3!.hits;
      const ok = await a.app.inject({
        method: 'OPTIONS',
        url: '/cors/x',
        headers: { origin: 'https://console.example', 'access-control-request-method': 'PUT' },
      });
      expect(ok.statusCode).toBe(204);
      expect(ok.headers['access-control-allow-origin']).toBe('https://console.example');
      const denied = await a.app.inject({
        method: 'OPTIONS',
        url: '/cors/x',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
      });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().code).toBe('CORS_ORIGIN_NOT_ALLOWED');
      expect(up.t3!.hits).toBe(hitsBefore);
      const actual = await a.app.inject({ method: 'GET', url: '/cors/x', headers: { origin: 'https://console.example' } });
      expect(actual.headers['access-control-allow-origin']).toBe('https://console.example');
      const other = await a.app.inject({ method: 'GET', url: '/cors/x', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers a routed path with a method it does not route as 405 with Allow, without reaching the upstream', async () => {
      await createRoute({ pathPattern: '/only-read/*', httpMethod: 'GET', upstreamUrl: up.t3!.url });
      await createRoute({ pathPattern: '/only-read/*', httpMethod: 'PUT', upstreamUrl: up.t3!.url });
      await a.deps.routeLoader.reload();
      const hitsBefore = up.t3!.hits;
      const refused = await a.app.inject({ method: 'DELETE', url: '/only-read/x' });
      expect(refused.statusCode).toBe(405);
      expect(refused.headers.allow).toBe('GET, PUT');
      expect(refused.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', details: { allowed: ['GET', 'PUT'] } });
      expect(up.t3!.hits).toBe(hitsBefore);
      expect((await a.app.inject({ method: 'GET', url: '/only-read/x' })).statusCode).toBe(200);
    });

    it('validates at the edge: body limit, versions, unknown paths, traversal', async () => {
      const token = await tokenFor(a, 'analyst');
      const big = await a.app.inject({
        method: 'POST',
        url: '/api/v1/erp/x',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: JSON.stringify({ blob: 'x'.repeat(5000) }),
      });
      expect(big.statusCode).toBe(413);
      expect((await a.app.inject({ method: 'GET', url: '/api/v2/erp/x', headers: bearer(token) })).json().code).toBe(
        'API_VERSION_UNSUPPORTED',
      );
      expect((await a.app.inject({ method: 'GET', url: '/nowhere', headers: bearer(token) })).json().code).toBe('ROUTE_NOT_FOUND');
      expect((await a.app.inject({ method: 'GET', url: '/api/v1/erp/a%2Fb', headers: bearer(token) })).json().code).toBe('PATH_INVALID');
      expect((await a.app.inject({ method: 'GET', url: '/api/v1/erp/a//b', headers: bearer(token) })).json().code).toBe('PATH_INVALID');
      expect((await a.app.inject({ method: 'GET', url: '/api/v1/erp/ok', headers: bearer(token) })).statusCode).toBe(200);
      const head = await a.app.inject({ method: 'HEAD', url: '/api/v1/erp/ok', headers: bearer(token) });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      expect((await a.app.inject({ method: 'GET', url: '/api/v1/sync/ok', headers: bearer(token) })).json().code).toBe(
        'ROLE_ACCESS_DENIED',
      );
      expect((await a.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: bearer(token) })).json().code).toBe(
        'ROLE_ACCESS_DENIED',
      );
      expect((await a.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths['/api/v1/auth/login']).toBeDefined();
    });

    it('exposes routes through the admin API with pagination', async () => {
      const page1 = (await a.app.inject({ method: 'GET', url: '/api/v1/admin/routes?page=1&limit=5', headers: bearer(admin) })).json();
      const page2 = (await a.app.inject({ method: 'GET', url: '/api/v1/admin/routes?page=2&limit=5', headers: bearer(admin) })).json();
      expect(page1.items).toHaveLength(5);
      expect(page1.total).toBeGreaterThan(30);
      expect(page2.items[0].routeId).not.toBe(page1.items[0].routeId);
      const orders = (await a.app.inject({ method: 'GET', url: '/api/v1/admin/routes?serviceName=sync', headers: bearer(admin) })).json();
      expect(orders.items.every((r: { serviceName: string }) => r.serviceName === 'sync')).toBe(true);
      void RoutesRepository;
    });
  });
}
