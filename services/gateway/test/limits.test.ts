import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, testRedisUrl } from '@tributary/platform/testing';
import {
  bearer,
  createUser,
  gatewayBed,
  plainRoute,
  postRoute,
  startGateway,
  tokenFor,
  unique,
  type TestGateway,
  type Upstream,
} from './support.js';

const redisUrl = testRedisUrl();

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: rate limits`, () => {
    const bed = gatewayBed(target);
    let up: Upstream;
    let single: TestGateway;
    let admin: string;

    beforeAll(async () => {
      up = await bed.upstream('svc', { verify: false });
      single = await bed.gateway({ env: { IP_LIMIT_PER_MINUTE: '5' } });
      await createUser(single, 'root', 'administrator', 'unlimited');
      admin = await tokenFor(single, 'root');
      const created = await postRoute(single, admin, {
        pathPattern: '/limited/*',
        httpMethod: 'ANY',
        serviceName: 'svc',
        routeName: 'limited',
        upstreamUrl: up.url,
        upstreamAuth: 'none',
        authenticationRequired: false,
      });
      expect(created.statusCode).toBe(201);
    });

    it('limits a basic-tier user to 30 per minute with RateLimit headers, 429 and Retry-After', async () => {
      const name = unique('basic');
      await createUser(single, name, 'analyst', 'basic');
      const token = await tokenFor(single, name);
      const first = await single.app.inject({ method: 'GET', url: '/limited/x', headers: bearer(token) });
      expect(first.headers['ratelimit-limit']).toBe('30');
      expect(first.headers['ratelimit-remaining']).toBe('29');
      expect(first.headers['ratelimit-policy']).toBe('30;w=60, 1800;w=3600, 43200;w=86400');
      let ok = 1;
      let refused = 0;
      let last;
      for (let i = 0; i < 34; i++) {
        last = await single.app.inject({ method: 'GET', url: '/limited/x', headers: bearer(token) });
        if (last.statusCode === 200) ok++;
        else if (last.statusCode === 429) refused++;
      }
      expect(ok).toBe(30);
      expect(refused).toBe(5);
      expect(last!.json().code).toBe('RATE_LIMIT_EXCEEDED');
      expect(last!.json().details).toEqual({ identifierType: 'user_id', window: 'minute' });
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(last!.headers['ratelimit-remaining']).toBe('0');
      // Another user is not affected.
      const other = unique('other');
      await createUser(single, other, 'analyst', 'basic');
      expect(
        (await single.app.inject({ method: 'GET', url: '/limited/x', headers: bearer(await tokenFor(single, other)) })).statusCode,
      ).toBe(200);
    });

    it('limits anonymous callers per address and skips the unlimited tier', async () => {
      const statuses = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await single.app.inject({ method: 'GET', url: '/limited/y', remoteAddress: '192.0.2.44' })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect((await single.app.inject({ method: 'GET', url: '/limited/y', remoteAddress: '192.0.2.45' })).statusCode).toBe(200);
      const unlimited = await single.app.inject({ method: 'GET', url: '/limited/y', headers: bearer(admin) });
      expect(unlimited.headers['ratelimit-limit']).toBeUndefined();
    });

    it('applies a route override on the hour and day windows too', async () => {
      const created = await postRoute(
        single,
        admin,
        plainRoute('/hourly', 'svc', up.url, { rateLimitOverride: { hour: 3, day: 5 }, authorizationRoles: ['*'] }),
      );
      expect(created.statusCode).toBe(201);
      const name = unique('hourly');
      await createUser(single, name, 'analyst', 'basic');
      const token = await tokenFor(single, name);
      const responses = [];
      for (let i = 0; i < 4; i++) responses.push(await single.app.inject({ method: 'GET', url: '/hourly', headers: bearer(token) }));
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
      expect(responses[0]!.headers['ratelimit-policy']).toBe('3;w=3600, 5;w=86400');
      expect(responses[3]!.json().details).toEqual({ identifierType: 'user_id', window: 'hour' });
      expect(Number(responses[3]!.headers['retry-after'])).toBeGreaterThan(60);
      // The override counts apart: the user's general budget is untouched.
      expect((await single.app.inject({ method: 'GET', url: '/limited/x', headers: bearer(token) })).headers['ratelimit-remaining']).toBe(
        '29',
      );
    });

    it('writes tracking rows off the request path, in batches', async () => {
      await single.deps.tracker.flush();
      const rows = await bed.handle.database.db
        .selectFrom('rate_limit_tracking')
        .selectAll()
        .where('identifier_value', '=', '192.0.2.44')
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        identifier_type: 'ip_address',
        window_type: 'minute',
        request_count: 7,
        successful_count: 5,
        blocked_count: 2,
        limit_threshold: 5,
      });
    });

    describe.skipIf(!redisUrl)('two replicas sharing Redis', () => {
      let r1: TestGateway;
      let r2: TestGateway;
      beforeAll(async () => {
        r1 = await startGateway(bed.handle, { env: { REDIS_URL: redisUrl!, REVOCATION_STORE: 'redis' } });
        r2 = await startGateway(bed.handle, { env: { REDIS_URL: redisUrl!, REVOCATION_STORE: 'redis' } });
      });
      afterAll(async () => {
        await r1?.app.close();
        await r2?.app.close();
      });

      it('admits exactly the limit across both, under concurrency', async () => {
        const name = unique('shared');
        await createUser(r1, name, 'analyst', 'basic');
        const token = await tokenFor(r1, name);
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 === 0 ? r1 : r2).app.inject({ method: 'GET', url: '/limited/z', headers: bearer(token) }),
          ),
        );
        const ok = responses.filter((r) => r.statusCode === 200).length;
        const limited = responses.filter((r) => r.statusCode === 429).length;
        expect(ok).toBe(30);
        expect(limited).toBe(20);
        const remaining = responses
          .filter((r) => r.statusCode === 200)
          .map((r) => Number(r.headers['ratelimit-remaining']))
          .sort((x, y) => x - y);
        expect(remaining).toEqual(Array.from({ length: 30 }, (_, i) => i));
      });

      it('revocation through Redis reaches the other replica on the next request', async () => {
        const name = unique('rev');
        await createUser(r1, name, 'analyst');
        const token = await tokenFor(r1, name);
        expect((await r2.app.inject({ method: 'GET', url: '/limited/z', headers: bearer(token) })).statusCode).toBe(200);
        await r1.deps.auth.revokeUser(`usr_${name.replace(/[^a-z0-9]+/gi, '_')}`, 'test');
        expect((await r2.app.inject({ method: 'GET', url: '/limited/z', headers: bearer(token) })).json().code).toBe('TOKEN_REVOKED');
      });
    });
  });
}
