import { describe, expect, it, beforeAll } from 'vitest';
import { freePort, testDatabases } from '@tributary/platform/testing';
import { AUDITED_ROUTE, bearer, createUser, gatewayBed, postRoute, tokenFor, type TestGateway, type Upstream } from './support.js';

for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: the administrator's usage series and system readiness`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;
    let up: Upstream;
    let admin: string;

    beforeAll(async () => {
      up = await bed.upstream('svc', { verify: false });
      // A peer on a port nobody listens on: reported unreachable, not thrown.
      gw = await bed.gateway({ peers: { svc: up.url, gone: `http://127.0.0.1:${await freePort()}` } });
      await createUser(gw, 'root', 'administrator', 'unlimited');
      await createUser(gw, 'alice', 'analyst');
      admin = await tokenFor(gw, 'root');
      await postRoute(gw, admin, { ...AUDITED_ROUTE, upstreamUrl: up.url });
    });

    it('counts requests per bucket, per status class and per route, filling empty buckets with 0', async () => {
      const alice = await tokenFor(gw, 'alice');
      const from = new Date(Math.floor(gw.clock.now() / 3_600_000) * 3_600_000 - 3_600_000).toISOString();
      const to = new Date(gw.clock.now() + 3_600_000).toISOString();
      up.status = 200;
      for (let i = 0; i < 3; i++) await gw.app.inject({ method: 'GET', url: '/audited/ok', headers: bearer(alice) });
      up.status = 503;
      await gw.app.inject({ method: 'GET', url: '/audited/down', headers: bearer(alice) });
      up.status = 200;

      const response = await gw.app.inject({
        method: 'GET',
        url: `/api/v1/admin/usage/series?from=${from}&to=${to}&bucketMinutes=60`,
        headers: bearer(admin),
      });
      expect(response.statusCode).toBe(200);
      const series = response.json();
      expect(series.bucketSeconds).toBe(3600);
      expect(series.buckets).toHaveLength(3);
      const audited = series.byRoute.find((route: { route: string }) => route.route === 'audited');
      expect(audited.total).toBe(4);
      expect(audited.counts).toHaveLength(3);
      expect(audited.counts.filter((n: number) => n === 0)).toHaveLength(2);
      const classes = Object.fromEntries(series.byStatusClass.map((s: { statusClass: string; total: number }) => [s.statusClass, s.total]));
      expect(classes['2xx']).toBeGreaterThanOrEqual(3);
      expect(classes['5xx']).toBe(1);
    });

    it('refuses a window of too many buckets, and anyone but the administrator', async () => {
      const wide = await gw.app.inject({
        method: 'GET',
        url: '/api/v1/admin/usage/series?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucketMinutes=1',
        headers: bearer(admin),
      });
      expect(wide.statusCode).toBe(400);
      expect(wide.json().code).toBe('TIME_RANGE_INVALID');
      const alice = await tokenFor(gw, 'alice');
      for (const url of ['/api/v1/admin/usage/series', '/api/v1/admin/system/readiness']) {
        expect((await gw.app.inject({ method: 'GET', url, headers: bearer(alice) })).statusCode).toBe(403);
      }
    });

    it('reports its own readiness and each peer probe, an unreachable peer included', async () => {
      const response = await gw.app.inject({ method: 'GET', url: '/api/v1/admin/system/readiness', headers: bearer(admin) });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      const byName = Object.fromEntries(body.services.map((s: { service: string }) => [s.service, s]));
      expect(byName.gateway).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
      expect(byName.svc).toMatchObject({ status: 'ok', httpStatus: 200 });
      expect(byName.gone).toMatchObject({ status: 'unreachable', httpStatus: null });
      expect(body.ready).toBe(false);
    });
  });
}
