import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { DEMO_PASSWORD, seed } from '../src/seed.js';
import { bearer, gatewayBed, tokenFor, type TestGateway, type Upstream } from './support.js';

/** No one grants a role above their own (issue: MASTER-ADMIN made itself administrator and read erp). */
for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: no role escalation through the admin API`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;
    let erp: Upstream;
    let master: string;
    let admin: string;

    beforeAll(async () => {
      erp = await bed.upstream('erp');
      gw = await bed.gateway({ peers: { erp: erp.url } });
      await seed(gw.context);
      await gw.deps.routeLoader.reload();
      master = await tokenFor(gw, 'master-admin', DEMO_PASSWORD);
      admin = await tokenFor(gw, 'admin', DEMO_PASSWORD);
    });

    const as = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
      gw.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });

    it('MASTER-ADMIN cannot make itself administrator, and stays out of erp', async () => {
      const self = await as(master, 'PATCH', '/api/v1/admin/users/usr_master_admin', { role: 'administrator' });
      expect(self.statusCode).toBe(403);
      expect(self.json().code).toBe('ROLE_ESCALATION_DENIED');
      const row = await gw.deps.users.findById('usr_master_admin');
      expect(row?.role).toBe('MASTER-ADMIN');
      const hits = erp.hits;
      expect((await as(await tokenFor(gw, 'master-admin', DEMO_PASSWORD), 'GET', '/api/v1/erp/customers')).statusCode).toBe(403);
      expect(erp.hits).toBe(hits);
    });

    it('MASTER-ADMIN cannot create or promote anyone above its own role, nor to an erp role', async () => {
      const base = { email: 'x@test.local', password: 'long-enough-password', fullName: 'X' };
      for (const role of ['administrator', 'manager', 'analyst', 'integration', 'custom-role']) {
        const created = await as(master, 'POST', '/api/v1/admin/users', {
          ...base,
          username: `new-${role}`,
          email: `${role}@test.local`,
          role,
        });
        expect(created.statusCode, role).toBe(403);
        expect(created.json().code).toBe('ROLE_ESCALATION_DENIED');
      }
      const promote = await as(master, 'PATCH', '/api/v1/admin/users/usr_trader_officer', { role: 'manager' });
      expect(promote.statusCode).toBe(403);
      // Within its own domain it still manages users.
      const ok = await as(master, 'POST', '/api/v1/admin/users', { ...base, username: 'new-officer', role: 'GRANDPASS-OFFICER' });
      expect(ok.statusCode, ok.body).toBe(201);
      expect((await as(master, 'PATCH', '/api/v1/admin/users/usr_new_officer', { role: 'SEEDUWA-OFFICER' })).statusCode).toBe(200);
    });

    it('MASTER-ADMIN cannot act on the administrator: no keys as it, no deactivation, no token revocation', async () => {
      const key = await as(master, 'POST', '/api/v1/admin/api-keys', { userId: 'usr_admin', name: 'mine', scopes: ['*'] });
      expect(key.statusCode).toBe(403);
      expect(key.json().code).toBe('ROLE_ESCALATION_DENIED');
      expect((await as(master, 'POST', '/api/v1/admin/access-keys', { userId: 'usr_admin' })).statusCode).toBe(403);
      expect((await as(master, 'PATCH', '/api/v1/admin/users/usr_admin', { isActive: false })).statusCode).toBe(403);
      expect((await as(master, 'POST', '/api/v1/admin/users/usr_admin/revoke-tokens')).statusCode).toBe(403);
      expect((await as(admin, 'GET', '/api/v1/auth/profile')).statusCode).toBe(200);
      // Keys the administrator made for itself are out of reach too.
      const own = await as(admin, 'POST', '/api/v1/admin/api-keys', { userId: 'usr_admin', name: 'ops', scopes: ['*'] });
      expect(own.statusCode).toBe(201);
      const keyId = own.json().apiKey.keyId as string;
      expect((await as(master, 'PATCH', `/api/v1/admin/api-keys/${keyId}`, { scopes: ['orders:read'] })).statusCode).toBe(403);
      expect((await as(master, 'DELETE', `/api/v1/admin/api-keys/${keyId}`)).statusCode).toBe(403);
    });

    it("routes, signing keys and the audit log are the administrator's alone: a route would otherwise grant any role anything", async () => {
      const route = await as(master, 'POST', '/api/v1/admin/routes', {
        pathPattern: '/back-door/*',
        httpMethod: 'ANY',
        serviceName: 'erp',
        routeName: 'x',
        upstreamUrl: 'peer:erp',
        upstreamPath: '/*',
        authorizationRoles: ['MASTER-ADMIN'],
      });
      expect(route.statusCode).toBe(403);
      expect((await as(master, 'POST', '/api/v1/admin/signing-keys/rotate')).statusCode).toBe(403);
      // The audit log holds every tenant's users and queries (the confectionery's included).
      expect((await as(master, 'GET', '/api/v1/admin/audit-logs')).statusCode).toBe(403);
      expect((await as(admin, 'GET', '/api/v1/admin/audit-logs')).statusCode).toBe(200);
      expect(
        (
          await as(admin, 'POST', '/api/v1/admin/users', {
            email: 'm@test.local',
            password: 'long-enough-password',
            fullName: 'M',
            username: 'new-manager',
            role: 'manager',
          })
        ).statusCode,
      ).toBe(201);
    });

    it('a blank user id revokes nothing: every other session stays signed in', async () => {
      const officer = await tokenFor(gw, 'seeduwa-officer', DEMO_PASSWORD);
      for (const url of ['/api/v1/admin/users//revoke-tokens', '/api/v1/admin/users/%20/revoke-tokens']) {
        const blank = await as(admin, 'POST', url);
        expect(blank.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(blank.statusCode, url).toBeLessThan(500);
      }
      expect((await as(officer, 'GET', '/api/v1/auth/profile')).statusCode).toBe(200);
      expect((await as(master, 'GET', '/api/v1/auth/profile')).statusCode).toBe(200);
      await expect(gw.deps.tokens.revoke({ userId: '' }, 'test', 'test', new Date())).rejects.toThrow(/non-empty/);
    });
  });
}
