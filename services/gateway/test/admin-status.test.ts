import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { bearer, createUser, gatewayBed, plainRoute, postRoute, tokenFor, type TestGateway, type Upstream } from './support.js';

interface RouteHealth {
  routeId: string;
  routeName: string;
  breaker: { state: string; consecutiveFailures: number } | null;
  targets: Array<{ url: string; health: string; consecutiveFailures: number }>;
}

/** The admin reads the console's route, key and tier pages are built on: each route's health, access keys, tiers. */
for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: route health, access keys and tiers for the admin`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;
    let upstream: Upstream;
    let admin: string;
    let analyst: string;
    let routeId: string;

    beforeAll(async () => {
      upstream = await bed.upstream('svc', { verify: false });
      gw = await bed.gateway();
      await createUser(gw, 'root', 'administrator', 'unlimited');
      await createUser(gw, 'ana', 'analyst', 'basic');
      admin = await tokenFor(gw, 'root');
      analyst = await tokenFor(gw, 'ana');
      const created = await postRoute(
        gw,
        admin,
        plainRoute('/svc/*', 'svc', upstream.url, { authorizationRoles: ['analyst'], healthCheckUrl: '/health/live', retryAttempts: 0 }),
      );
      expect(created.statusCode, created.body).toBe(201);
      routeId = created.json().routeId as string;
    });

    const read = (url: string, token = admin) => gw.app.inject({ method: 'GET', url, headers: bearer(token) });
    const healthOfRoute = async () => {
      const answer = await read('/api/v1/admin/routes/health');
      expect(answer.statusCode, answer.body).toBe(200);
      return (answer.json().items as RouteHealth[]).find((item) => item.routeId === routeId);
    };

    it("reports a route's targets unchecked and no breaker until it forwards, then healthy after a check", async () => {
      const before = await healthOfRoute();
      expect(before).toMatchObject({ routeName: 'svc/*', breaker: null, targets: [{ url: upstream.url, health: 'unchecked' }] });

      expect((await read('/svc/ping', analyst)).statusCode).toBe(200);
      await gw.deps.health.runOnce();
      const after = await healthOfRoute();
      expect(after?.breaker).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
      expect(after?.targets).toEqual([{ url: upstream.url, health: 'healthy', ejectedUntil: null, consecutiveFailures: 0 }]);

      upstream.healthStatus = 503;
      await gw.deps.health.runOnce();
      await gw.deps.health.runOnce();
      expect((await healthOfRoute())?.targets[0]?.health).toBe('unhealthy');
      upstream.healthStatus = 200;
    });

    it('lists access keys without their secrets, and the tiers with who is on them', async () => {
      const created = await gw.app.inject({
        method: 'POST',
        url: '/api/v1/admin/access-keys',
        headers: bearer(admin),
        payload: { userId: 'usr_ana', scopes: ['svc:read'], description: 'nightly export' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const { accessKeyId, secretAccessKey } = created.json() as { accessKeyId: string; secretAccessKey: string };
      const listed = await read('/api/v1/admin/access-keys?userId=usr_ana');
      expect(listed.statusCode).toBe(200);
      expect(listed.body).not.toContain(secretAccessKey);
      expect(listed.json()).toMatchObject({
        total: 1,
        items: [{ accessKeyId, userId: 'usr_ana', scopes: ['svc:read'], description: 'nightly export', isActive: true, temporary: false }],
      });

      const tiers = await read('/api/v1/admin/rate-limit-tiers');
      expect(tiers.statusCode).toBe(200);
      const items = tiers.json().items as Array<{ tier: string; limits: { minute: number }; users: number }>;
      expect(items.map((item) => item.tier)).toEqual(['basic', 'standard', 'premium', 'unlimited']);
      expect(items.find((item) => item.tier === 'basic')).toMatchObject({ limits: { minute: 30 }, users: 1 });
      expect(items.find((item) => item.tier === 'unlimited')).toMatchObject({ limits: { minute: 0 }, users: 1 });
    });

    it('rotates an API key: the new key works at once and the old one until its grace period ends', async () => {
      const created = await gw.app.inject({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        headers: bearer(admin),
        payload: { userId: 'usr_ana', name: 'reporting', scopes: ['*'] },
      });
      expect(created.statusCode, created.body).toBe(201);
      const old = created.json() as { key: string; apiKey: { keyId: string } };
      const rotated = await gw.app.inject({
        method: 'POST',
        url: `/api/v1/admin/api-keys/${old.apiKey.keyId}/rotate`,
        headers: bearer(admin),
        payload: { graceSeconds: 60 },
      });
      expect(rotated.statusCode, rotated.body).toBe(201);
      const fresh = rotated.json() as { key: string; apiKey: { name: string; userId: string }; previous: { expiresAt: string } };
      expect(fresh.apiKey).toMatchObject({ name: 'reporting', userId: 'usr_ana' });
      expect(Date.parse(fresh.previous.expiresAt)).toBe(gw.clock.now() + 60_000);
      const call = (key: string) => gw.app.inject({ method: 'GET', url: '/svc/ping', headers: { 'x-api-key': key } });
      expect((await call(fresh.key)).statusCode).toBe(200);
      expect((await call(old.key)).statusCode).toBe(200);
      gw.clock.advance(61_000);
      expect((await call(old.key)).json().code).toBe('API_KEY_EXPIRED');
      expect((await call(fresh.key)).statusCode).toBe(200);
    });

    it('places a refused route change at its field', async () => {
      const refused = await gw.app.inject({
        method: 'PATCH',
        url: `/api/v1/admin/routes/${routeId}`,
        headers: bearer(admin),
        payload: { upstreamUrl: 'ftp://files.example' },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'INVALID_ROUTE', details: { field: 'upstreamUrl' } });
    });

    it('refuses these reads to anyone below the admin roles', async () => {
      for (const url of ['/api/v1/admin/routes/health', '/api/v1/admin/access-keys', '/api/v1/admin/rate-limit-tiers']) {
        expect((await read(url, analyst)).statusCode, url).toBe(403);
        expect((await gw.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      }
    });
  });
}
