import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { bearer, createUser, gatewayBed, PASSWORD, type TestGateway } from './support.js';

/** Unauthenticated traffic is limited per address (the probe sent 620 requests in 3.4 s without a 429). */
for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: unauthenticated rate limits`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;

    beforeAll(async () => {
      gw = await bed.gateway({ env: { IP_LIMIT_PER_MINUTE: '5', IP_LIMIT_PER_HOUR: '1000', IP_LIMIT_PER_DAY: '10000' } });
      await createUser(gw, 'worker', 'analyst', 'unlimited');
    });

    const call = (
      url: string,
      remoteAddress: string,
      headers: Record<string, string> = {},
      method: 'GET' | 'POST' = 'GET',
      payload?: unknown,
    ) => gw.app.inject({ method, url, remoteAddress, headers, ...(payload ? { payload } : {}) });

    it('limits logins, unknown paths and forged tokens from one address together, with 429, Retry-After and a stable code', async () => {
      const ip = '192.0.2.70';
      const statuses = [];
      statuses.push((await call('/api/v1/auth/login', ip, {}, 'POST', { username: 'worker', password: 'wrong-wrong-wrong' })).statusCode);
      statuses.push((await call('/no/such/route', ip)).statusCode);
      statuses.push((await call('/api/v1/auth/jwks', ip)).statusCode);
      // A forged token counts like no token at all.
      statuses.push((await call('/api/v1/auth/profile', ip, { authorization: 'Bearer forged.token.here' })).statusCode);
      statuses.push((await call('/no/such/route', ip)).statusCode);
      expect(statuses).toEqual([401, 404, 200, 401, 404]);
      const limited = await call('/api/v1/auth/login', ip, {}, 'POST', { username: 'worker', password: PASSWORD });
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('RATE_LIMIT_EXCEEDED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      const forged = await call('/api/v1/auth/profile', ip, { authorization: 'Bearer forged.token.here' });
      expect(forged.statusCode).toBe(429);
    });

    it('refuses a NUL in a login name as bad input, not a 500', async () => {
      const response = await call('/api/v1/auth/login', '192.0.2.80', {}, 'POST', { username: 'work\u0000er', password: PASSWORD });
      expect(response.statusCode).toBe(400);
    });

    it('does not touch other addresses, nor signed-in users behind the limited address', async () => {
      const ip = '192.0.2.71';
      const login = await call('/api/v1/auth/login', '192.0.2.99', {}, 'POST', { username: 'worker', password: PASSWORD });
      expect(login.statusCode).toBe(200);
      const token = login.json().accessToken as string;
      for (let i = 0; i < 6; i++) await call('/no/such/route', ip);
      expect((await call('/no/such/route', ip)).statusCode).toBe(429);
      expect((await call('/no/such/route', '192.0.2.72')).statusCode).toBe(404);
      expect((await call('/api/v1/auth/profile', ip, bearer(token))).statusCode).toBe(200);
    });
  });
}
