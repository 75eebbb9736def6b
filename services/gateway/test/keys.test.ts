import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@tributary/platform/core';
import { presignUrl, signRequest } from '@tributary/platform/auth';
import { testDatabases } from '@tributary/platform/testing';
import { RoutesRepository } from '../src/features/routing/routes.repository.js';
import { bearer, createUser, gatewayBed, seedRoutes, tokenFor, type TestGateway, type Upstream } from './support.js';
import { asTables } from '@tributary/platform/db';
import type { GatewayDatabase } from '../src/db/schema.js';

const SCOPE = { region: 'us-east-1', service: 'execute-api' };

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: API keys and SigV4 access keys`, () => {
    const bed = gatewayBed(target);
    let clock: ManualClock;
    let gw: TestGateway;
    let erp: Upstream;
    let admin: string;

    beforeAll(async () => {
      await seedRoutes(new RoutesRepository(asTables<GatewayDatabase>(bed.handle.database.db)));
      erp = await bed.upstream('erp');
      clock = new ManualClock(Date.now());
      gw = await bed.gateway({ peers: { erp: erp.url, orders: erp.url }, clock });
      await createUser(gw, 'root', 'administrator', 'unlimited');
      await createUser(gw, 'integrator', 'integration');
      admin = await tokenFor(gw, 'root');
    });

    const createKey = (body: Record<string, unknown>) =>
      gw.app.inject({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        headers: bearer(admin),
        payload: { userId: 'usr_integrator', name: 'k', ...body },
      });
    const callErp = (key: string, remoteAddress = '127.0.0.1', method: 'GET' | 'POST' = 'GET') =>
      gw.app.inject({
        method,
        url: '/api/v1/erp/segments?x=1',
        headers: { 'x-api-key': key, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        remoteAddress,
        ...(method === 'POST' ? { payload: '{}' } : {}),
      });

    it('shows a key once, stores only its hash, and finds it by id', async () => {
      const created = await createKey({ scopes: ['erp:read'] });
      expect(created.statusCode).toBe(201);
      const { key, apiKey } = created.json();
      expect(key).toMatch(/^trk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
      expect(key.replace(/-/g, '')).toContain(apiKey.keyId.replace(/-/g, ''));
      const row = await bed.handle.database.db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_id', '=', apiKey.keyId)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(key.slice(-43));
      const listed = await gw.app.inject({ method: 'GET', url: '/api/v1/admin/api-keys?userId=usr_integrator', headers: bearer(admin) });
      expect(listed.body).not.toContain(key.slice(-43));
      const routed = await callErp(key);
      expect(routed.statusCode).toBe(200);
      expect(routed.json().identity).toMatchObject({ principal: 'gateway', user: 'usr_integrator', apiKeyId: apiKey.keyId });
      // A key with the right id but a wrong secret is refused.
      const forged = `${key.slice(0, -5)}AAAAA`;
      expect((await callErp(forged)).json().code).toBe('API_KEY_INVALID');
    });

    it('enforces scopes: resource:action, resource:* and *', async () => {
      const read = (await createKey({ scopes: ['erp:read'] })).json().key;
      const star = (await createKey({ scopes: ['erp:*'] })).json().key;
      const all = (await createKey({ scopes: ['*'] })).json().key;
      const other = (await createKey({ scopes: ['orders:read'] })).json().key;
      expect((await callErp(read, '127.0.0.1', 'POST')).json().code).toBe('SCOPE_ACCESS_DENIED');
      expect((await callErp(star, '127.0.0.1', 'POST')).statusCode).toBe(200);
      expect((await callErp(all, '127.0.0.1', 'POST')).statusCode).toBe(200);
      expect((await callErp(other)).json().code).toBe('SCOPE_ACCESS_DENIED');
      expect((await createKey({ scopes: ['Bad Scope'] })).json().code).toBe('INVALID_SCOPE');
    });

    it('refuses a key used from an address outside its CIDR allowlist', async () => {
      const key = (await createKey({ scopes: ['erp:read'], ipAllowlist: ['10.20.0.0/16', '2001:db8::/32', '192.0.2.5'] })).json().key;
      expect((await callErp(key, '10.20.3.4')).statusCode).toBe(200);
      expect((await callErp(key, '::ffff:10.20.9.9')).statusCode).toBe(200);
      expect((await callErp(key, '2001:db8::1')).statusCode).toBe(200);
      expect((await callErp(key, '192.0.2.5')).statusCode).toBe(200);
      const outside = await callErp(key, '10.21.0.1');
      expect(outside.statusCode).toBe(403);
      expect(outside.json().code).toBe('API_KEY_IP_NOT_ALLOWED');
      expect((await callErp(key, '192.0.2.6')).statusCode).toBe(403);
      expect((await createKey({ scopes: ['erp:read'], ipAllowlist: ['10.0.0.0/33'] })).json().code).toBe('INVALID_IP_ALLOWLIST');
    });

    it('honours expiry and revocation, and counts usage', async () => {
      const created = (await createKey({ scopes: ['erp:read'], expiresAt: new Date(clock.now() + 60_000).toISOString() })).json();
      expect((await callErp(created.key)).statusCode).toBe(200);
      expect((await callErp(created.key, '127.0.0.1', 'POST')).statusCode).toBe(403);
      clock.advance(61_000);
      expect((await callErp(created.key)).json().code).toBe('API_KEY_EXPIRED');
      const listed = await gw.app.inject({
        method: 'GET',
        url: '/api/v1/admin/api-keys?userId=usr_integrator&page=1&limit=100',
        headers: bearer(admin),
      });
      const mine = listed.json().items.find((k: { keyId: string }) => k.keyId === created.apiKey.keyId);
      expect(mine.usage).toEqual({ total: 2, successful: 1, failed: 1 });

      const live = (await createKey({ scopes: ['erp:read'] })).json();
      expect((await callErp(live.key)).statusCode).toBe(200);
      const revoke = await gw.app.inject({ method: 'DELETE', url: `/api/v1/admin/api-keys/${live.apiKey.keyId}`, headers: bearer(admin) });
      expect(revoke.statusCode).toBe(204);
      expect((await callErp(live.key)).json().code).toBe('API_KEY_INVALID');
    });

    it('changes a key at once: a new tier rewrites its limits, new scopes apply on the next request', async () => {
      const { key, apiKey } = (await createKey({ scopes: ['erp:read'], rateLimitTier: 'basic' })).json();
      expect(apiKey.limits).toEqual({ minute: 30, hour: 1800, day: 43200 });
      expect((await callErp(key)).headers['ratelimit-limit']).toBe('30');
      expect((await callErp(key, '127.0.0.1', 'POST')).statusCode).toBe(403);
      const patched = await gw.app.inject({
        method: 'PATCH',
        url: `/api/v1/admin/api-keys/${apiKey.keyId}`,
        headers: bearer(admin),
        payload: { rateLimitTier: 'premium', scopes: ['erp:*'] },
      });
      expect(patched.json().limits).toEqual({ minute: 500, hour: 30000, day: 720000 });
      expect((await callErp(key)).headers['ratelimit-limit']).toBe('500');
      expect((await callErp(key, '127.0.0.1', 'POST')).statusCode).toBe(200);
    });

    it('refuses two credentials at once', async () => {
      const key = (await createKey({ scopes: ['erp:read'] })).json().key;
      const both = await gw.app.inject({ method: 'GET', url: '/api/v1/erp/x', headers: { 'x-api-key': key, ...bearer(admin) } });
      expect(both.statusCode).toBe(400);
    });

    describe('SigV4 clients', () => {
      const url = 'http://gateway.test/api/v1/erp/segments?b=2&a=1';
      const send = (
        headers: Record<string, string>,
        path = '/api/v1/erp/segments?b=2&a=1',
        method: 'GET' | 'POST' = 'GET',
        payload?: string,
      ) => gw.app.inject({ method, url: path, headers, ...(payload ? { payload } : {}) });
      const createAccessKey = async (body: Record<string, unknown> = {}) =>
        (
          await gw.app.inject({
            method: 'POST',
            url: '/api/v1/admin/access-keys',
            headers: bearer(admin),
            payload: { userId: 'usr_integrator', ...body },
          })
        ).json();

      it('accepts the header form, signed as an AWS SDK would, and forwards as the key owner', async () => {
        const key = await createAccessKey();
        const headers = await signRequest({ method: 'GET', url, headers: { host: 'gateway.test' } }, key, SCOPE, new Date(clock.now()));
        const response = await send(headers);
        expect(response.statusCode, response.body).toBe(200);
        expect(response.json().identity).toMatchObject({ user: 'usr_integrator', roles: ['integration'] });
        const body = JSON.stringify({ name: 'x' });
        const post = await signRequest(
          {
            method: 'POST',
            url: 'http://gateway.test/api/v1/erp/segments',
            headers: { host: 'gateway.test', 'content-type': 'application/json' },
            body,
          },
          key,
          SCOPE,
          new Date(clock.now()),
        );
        expect((await send(post, '/api/v1/erp/segments', 'POST', body)).statusCode).toBe(200);
        // The same signature over a different body is refused.
        expect((await send(post, '/api/v1/erp/segments', 'POST', JSON.stringify({ name: 'y' }))).statusCode).toBe(401);
      });

      it('accepts presigned URLs until they expire', async () => {
        const key = await createAccessKey();
        const presigned = await presignUrl({ method: 'GET', url, headers: { host: 'gateway.test' } }, key, SCOPE, {
          expiresInSeconds: 60,
          now: new Date(clock.now()),
        });
        const path = presigned.url.slice('http://gateway.test'.length);
        const first = await send(presigned.headers, path);
        expect(first.statusCode, first.body).toBe(200);
        clock.advance(61_000);
        expect((await send(presigned.headers, path)).json().code).toBe('AUTH_REQUEST_EXPIRED');
      });

      it('temporary keys need their session token and stop at expiry', async () => {
        const key = await createAccessKey({ ttlSeconds: 300 });
        expect(key.accessKeyId).toMatch(/^TRBT/);
        expect(key.sessionToken).toBeTruthy();
        const good = await signRequest({ method: 'GET', url, headers: { host: 'gateway.test' } }, key, SCOPE, new Date(clock.now()));
        expect((await send(good)).statusCode).toBe(200);
        const { sessionToken: _drop, ...withoutToken } = key;
        const missing = await signRequest(
          { method: 'GET', url, headers: { host: 'gateway.test' } },
          withoutToken,
          SCOPE,
          new Date(clock.now()),
        );
        expect((await send(missing)).statusCode).toBe(401);
        clock.advance(301_000);
        const late = await signRequest({ method: 'GET', url, headers: { host: 'gateway.test' } }, key, SCOPE, new Date(clock.now()));
        expect((await send(late)).json().code).toBe('AUTH_CREDENTIAL_EXPIRED');
      });

      it('rotates without downtime: both keys work during the grace period, then only the new one', async () => {
        const old = await createAccessKey();
        const rotated = await gw.app.inject({
          method: 'POST',
          url: `/api/v1/admin/access-keys/${old.accessKeyId}/rotate`,
          headers: bearer(admin),
          payload: { graceSeconds: 120 },
        });
        expect(rotated.statusCode).toBe(201);
        const fresh = rotated.json();
        const sign = (k: { accessKeyId: string; secretAccessKey: string }) =>
          signRequest({ method: 'GET', url, headers: { host: 'gateway.test' } }, k, SCOPE, new Date(clock.now()));
        expect((await send(await sign(old))).statusCode).toBe(200);
        expect((await send(await sign(fresh))).statusCode).toBe(200);
        clock.advance(121_000);
        expect((await send(await sign(old))).statusCode).toBe(401);
        expect((await send(await sign(fresh))).statusCode).toBe(200);
        await gw.app.inject({ method: 'DELETE', url: `/api/v1/admin/access-keys/${fresh.accessKeyId}`, headers: bearer(admin) });
        expect((await send(await sign(fresh))).json().code).toBe('AUTH_UNKNOWN_ACCESS_KEY');
      });
    });
  });
}
