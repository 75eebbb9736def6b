import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@tributary/platform/core';
import { testDatabases } from '@tributary/platform/testing';
import { bearer, createUser, gatewayBed, plainRoute, postRoute, tokenFor, type TestGateway, type Upstream } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: ejection, circuit breaker, health checks, cache`, () => {
    const bed = gatewayBed(target);
    let clock: ManualClock;
    let gw: TestGateway;
    let a: Upstream;
    let b: Upstream;
    let c: Upstream;
    let admin: string;

    beforeAll(async () => {
      [a, b, c] = [
        await bed.upstream('a', { verify: false }),
        await bed.upstream('b', { verify: false }),
        await bed.upstream('c', { verify: false }),
      ];
      clock = new ManualClock(Date.now());
      gw = await bed.gateway({ clock });
      await createUser(gw, 'root', 'administrator', 'unlimited');
      await createUser(gw, 'alice', 'analyst');
      await createUser(gw, 'bob', 'analyst');
      admin = await tokenFor(gw, 'root');
      const route = (body: Record<string, unknown>) =>
        postRoute(gw, admin, { httpMethod: 'GET', serviceName: 'svc', routeName: 'r', upstreamAuth: 'none', ...body });
      expect(
        (
          await route({
            pathPattern: '/flaky',
            serviceName: 'flaky',
            upstreamUrl: a.url,
            upstreamServers: [{ url: a.url }, { url: b.url }],
            authenticationRequired: false,
            failureThreshold: 5,
            recoveryTimeoutMs: 10_000,
            retryAttempts: 0,
            healthCheckUrl: '/health/live',
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (
          await route({
            pathPattern: '/cached/*',
            serviceName: 'cached',
            upstreamUrl: c.url,
            cacheEnabled: true,
            cacheTtlSeconds: 60,
            authorizationRoles: ['*'],
          })
        ).statusCode,
      ).toBe(201);
    });

    // Many anonymous callers (addresses): failures of one caller alone cannot open the breaker.
    let caller = 0;
    const flaky = () => gw.app.inject({ method: 'GET', url: '/flaky', remoteAddress: `10.20.0.${(caller++ % 200) + 1}` });

    it('ejects a failing target, opens the breaker, lets exactly one probe through, and brings the target back', async () => {
      // 1. A fails (overloaded): after three consecutive failures it leaves the rotation.
      a.status = 503;
      for (let i = 0; i < 6; i++) await flaky();
      expect(a.hits).toBe(3);
      const aHits = a.hits;
      for (let i = 0; i < 6; i++) expect((await flaky()).statusCode).toBe(200);
      expect(a.hits).toBe(aHits);
      expect(gw.deps.upstreams.targetSnapshots().find((t) => t.url === a.url)?.ejected).toBe(true);

      // 2. B fails too. It cannot be ejected (never more than half the pool), so the breaker trips.
      b.status = 503;
      for (let i = 0; i < 5; i++) expect((await flaky()).statusCode).toBe(503);
      const bHits = b.hits;
      const open = await flaky();
      expect(open.statusCode).toBe(503);
      expect(open.json().code).toBe('UPSTREAM_CIRCUIT_OPEN');
      expect(Number(open.headers['retry-after'])).toBe(10);
      expect(b.hits).toBe(bHits);

      // 3. After the recovery timeout, of five concurrent calls exactly one reaches the upstream.
      b.status = 200;
      clock.advance(10_000);
      let release!: () => void;
      b.hold = new Promise<void>((resolve) => (release = resolve));
      const calls = Array.from({ length: 5 }, () => flaky());
      while (b.hits === bHits) await new Promise((resolve) => setTimeout(resolve, 2));
      await new Promise((resolve) => setTimeout(resolve, 50));
      b.hold = undefined;
      release();
      const statuses = (await Promise.all(calls)).map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 503, 503, 503, 503]);
      expect(b.hits).toBe(bHits + 1);
      expect(gw.deps.upstreams.breakerSnapshots().find((s) => s.name === 'flaky')?.state).toBe('closed');

      // 4. A is healthy again; once its ejection time has passed it is back in rotation.
      a.status = 200;
      for (let i = 0; i < 4; i++) expect((await flaky()).statusCode).toBe(200);
      expect(a.hits).toBe(aHits);
      clock.advance(31_000);
      for (let i = 0; i < 4; i++) expect((await flaky()).statusCode).toBe(200);
      expect(a.hits).toBe(aHits + 2);
    });

    it('active checks take an unhealthy target out and bring an ejected one straight back', async () => {
      a.healthStatus = 503;
      clock.advance(1_000);
      await gw.deps.health.runOnce();
      clock.advance(1_000);
      await gw.deps.health.runOnce();
      const aHits = a.hits;
      for (let i = 0; i < 4; i++) await flaky();
      expect(a.hits).toBe(aHits);
      a.healthStatus = 200;
      clock.advance(1_000);
      await gw.deps.health.runOnce();
      for (let i = 0; i < 4; i++) await flaky();
      expect(a.hits).toBe(aHits + 2);
      // Passive ejection, then a passing active check: back before the ejection would have ended.
      a.status = 502;
      for (let i = 0; i < 6; i++) await flaky();
      a.status = 200;
      const ejectedHits = a.hits;
      for (let i = 0; i < 2; i++) await flaky();
      expect(a.hits).toBe(ejectedHits);
      clock.advance(1_000);
      await gw.deps.health.runOnce();
      for (let i = 0; i < 4; i++) await flaky();
      expect(a.hits).toBe(ejectedHits + 2);
      const rows = await bed.handle.database.db.selectFrom('service_health').selectAll().where('server_url', '=', a.url).execute();
      expect(rows.map((r) => r.status)).toEqual(expect.arrayContaining(['healthy', 'unhealthy']));
    });

    it('never fails closed on health alone: with every target unfit, all are tried', async () => {
      const created = await postRoute(
        gw,
        admin,
        plainRoute('/lonely', 'lonely', c.url, { authenticationRequired: false, healthCheckUrl: '/health/live' }),
      );
      expect(created.statusCode).toBe(201);
      c.healthStatus = 503;
      for (let i = 0; i < 2; i++) {
        clock.advance(1_000);
        await gw.deps.health.runOnce();
      }
      expect(gw.deps.upstreams.targetSnapshots().find((t) => t.url === c.url)?.activeHealthy).toBe(false);
      expect((await gw.app.inject({ method: 'GET', url: '/lonely' })).statusCode).toBe(200);
      c.healthStatus = 200;
      clock.advance(1_000);
      await gw.deps.health.runOnce();
      expect(gw.deps.upstreams.targetSnapshots().find((t) => t.url === c.url)?.activeHealthy).toBe(true);
    });

    it('retries an idempotent request on another target when a connection fails, never a POST', async () => {
      const dead = 'http://127.0.0.1:1';
      const created = await postRoute(
        gw,
        admin,
        plainRoute('/retry', 'retry', dead, {
          httpMethod: 'ANY',
          upstreamServers: [{ url: dead }, { url: c.url }],
          authenticationRequired: false,
          retryAttempts: 1,
          circuitBreakerEnabled: false,
        }),
      );
      expect(created.statusCode).toBe(201);
      for (let i = 0; i < 4; i++) expect((await gw.app.inject({ method: 'GET', url: '/retry' })).statusCode).toBe(200);
      // A POST that meets the dead target fails with 503 and is not sent anywhere else.
      clock.advance(60_000 * 10);
      const before = c.hits;
      const posts = [];
      for (let i = 0; i < 4; i++) {
        const response = await gw.app.inject({
          method: 'POST',
          url: '/retry',
          headers: { 'content-type': 'application/json' },
          payload: '{}',
        });
        posts.push(response.statusCode);
        if (response.statusCode === 503) expect(response.json().code).toBe('UPSTREAM_UNAVAILABLE');
      }
      expect(posts).toContain(503);
      expect(posts.every((status) => status === 200 || status === 503)).toBe(true);
      expect(c.hits - before).toBe(posts.filter((status) => status === 200).length);
    });

    it('caches GET responses per consumer, never across users', async () => {
      const alice = await tokenFor(gw, 'alice');
      const bob = await tokenFor(gw, 'bob');
      const get = (token: string, path = '/cached/report') => gw.app.inject({ method: 'GET', url: path, headers: bearer(token) });
      const first = await get(alice);
      const again = await get(alice);
      expect(first.headers['x-cache']).toBe('MISS');
      expect(again.headers['x-cache']).toBe('HIT');
      expect(again.json()).toEqual(first.json());
      const hits = c.hits;
      const other = await get(bob);
      expect(other.headers['x-cache']).toBe('MISS');
      expect(c.hits).toBe(hits + 1);
      expect(other.json().n).not.toBe(first.json().n);
      expect((await get(bob)).json().n).toBe(other.json().n);
      clock.advance(61_000);
      expect((await get(alice)).headers['x-cache']).toBe('MISS');
    });

    it('never caches Set-Cookie, private or no-store responses', async () => {
      const alice = await tokenFor(gw, 'alice');
      const variants: Array<Record<string, string>> = [
        { 'set-cookie': 'session=1' },
        { 'cache-control': 'private, max-age=60' },
        { 'cache-control': 'no-store' },
      ];
      for (const headers of variants) {
        c.extraHeaders = headers;
        const path = `/cached/${Object.values(headers)[0]!.replace(/[^a-z]/g, '')}`;
        const before = c.hits;
        await gw.app.inject({ method: 'GET', url: path, headers: bearer(alice) });
        const second = await gw.app.inject({ method: 'GET', url: path, headers: bearer(alice) });
        expect(c.hits).toBe(before + 2);
        expect(second.headers['x-cache']).not.toBe('HIT');
      }
      c.extraHeaders = {};
    });
  });
}
