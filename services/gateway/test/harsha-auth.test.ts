import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { createUser, gatewayBed, PASSWORD, type TestGateway } from './support.js';
import { harshaClient, type HarshaClient } from './harsha-support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the original Harsha auth API`, () => {
    const bed = gatewayBed(target);
    let gateway: TestGateway;
    let client: HarshaClient;

    beforeAll(async () => {
      gateway = await bed.gateway();
      client = await harshaClient(gateway);
      await createUser(gateway, 'harsha-admin', 'administrator', 'unlimited');
      await createUser(gateway, 'svc-bot', 'analyst');
      await gateway.deps.db.updateTable('api_users').set({ user_type: 'service' }).where('username', '=', 'svc-bot').execute();
    });

    const register = (email: string, application: 'b2c' | 'b2b' = 'b2c', extra: Record<string, unknown> = {}) =>
      client.call('POST', '/api/v1/auth/register', {
        body: {
          email,
          password: PASSWORD,
          firstName: 'Nimal',
          lastName: 'Perera',
          phone: '+94 77 123 4567',
          application,
          organizationType: application === 'b2b' ? 'business' : 'individual',
          ...(application === 'b2b' ? { company: 'Perera Stores' } : {}),
          ...extra,
        },
      });
    const originalLogin = (email: string, application: string, password = PASSWORD, rememberMe = false) =>
      client.call('POST', '/api/v1/auth/login', { body: { email, password, application, rememberMe } });

    it('registers a shop customer with the lowest role, an unverified email and a session', async () => {
      const answer = await register('nimal@shop.test');
      expect(answer.status).toBe(201);
      expect(answer.body.success).toBe(true);
      expect(answer.body.data).toMatchObject({ emailVerified: false, tokenType: 'Bearer' });
      expect(answer.body.data?.user).toMatchObject({
        email: 'nimal@shop.test',
        role: 'customer',
        userType: 'external',
        fullName: 'Nimal Perera',
      });
      expect(typeof answer.body.data?.accessToken).toBe('string');
      const business = await register('buyer@perera.test', 'b2b');
      expect(business.status).toBe(201);
      expect(business.body.data?.user).toMatchObject({ role: 'business_user', department: 'Perera Stores' });
    });

    it('refuses a role in the registration body, a taken email and a weak password, creating nobody', async () => {
      const before = await gateway.deps.db
        .selectFrom('api_users')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const withRole = await register('sneaky@shop.test', 'b2c', { role: 'administrator' });
      expect(withRole.status).toBe(400);
      expect(withRole.body).toMatchObject({ success: false, code: 'REQUEST_VALIDATION_FAILED' });
      expect(typeof withRole.body.error).toBe('string');
      const taken = await register('nimal@shop.test');
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ success: false, code: 'USER_ALREADY_EXISTS' });
      const weak = await client.call('POST', '/api/v1/auth/register', {
        body: {
          email: 'weak@shop.test',
          password: 'short123',
          firstName: 'W',
          lastName: 'K',
          application: 'b2c',
          organizationType: 'individual',
        },
      });
      expect(weak.status).toBe(400);
      expect(weak.body).toMatchObject({ success: false, code: 'PASSWORD_POLICY_VIOLATION' });
      const after = await gateway.deps.db
        .selectFrom('api_users')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    });

    it('logs in with the original body, remembering the session longer when asked', async () => {
      const answer = await originalLogin('nimal@shop.test', 'b2c', PASSWORD, true);
      expect(answer.status).toBe(200);
      expect(answer.body.success).toBe(true);
      expect(answer.body.data).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 30 * 24 * 3600 });
      expect(answer.body.data?.user).toMatchObject({ role: 'customer' });
      const short = await originalLogin('nimal@shop.test', 'b2c');
      expect(short.body.data?.refreshExpiresIn).toBe(7 * 24 * 3600);
    });

    it('admits each user only to the applications their type and role allow', async () => {
      expect((await originalLogin('nimal@shop.test', 'b2b')).body).toMatchObject({ success: false, code: 'APP_ACCESS_DENIED' });
      expect((await originalLogin('nimal@shop.test', 'admin')).status).toBe(403);
      expect((await originalLogin('buyer@perera.test', 'b2b')).status).toBe(200);
      expect((await originalLogin('harsha-admin@test.local', 'admin')).status).toBe(200);
      const service = await originalLogin('svc-bot@test.local', 'b2c');
      expect(service.status).toBe(403);
      expect(service.body.code).toBe('APP_ACCESS_DENIED');
    });

    it('answers bad original login bodies with 400 in the envelope, and keeps the Tributary form plain', async () => {
      const short = await client.call('POST', '/api/v1/auth/login', {
        body: { email: 'nimal@shop.test', password: 'short', application: 'b2c' },
      });
      expect(short.status).toBe(400);
      expect(short.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
      const badApp = await client.call('POST', '/api/v1/auth/login', {
        body: { email: 'nimal@shop.test', password: PASSWORD, application: 'pos' },
      });
      expect(badApp.status).toBe(400);
      const wrong = await originalLogin('nimal@shop.test', 'b2c', 'not-the-password');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ success: false, code: 'INVALID_CREDENTIALS' });
      const tributary = await client.call('POST', '/api/v1/auth/login', { body: { username: 'harsha-admin', password: PASSWORD } });
      expect(tributary.status).toBe(200);
      expect(tributary.body.success).toBeUndefined();
      expect(tributary.body.accessToken).toEqual(expect.any(String));
      const tributaryWrong = await client.call('POST', '/api/v1/auth/login', {
        body: { username: 'harsha-admin', password: 'nope-nope-nope' },
      });
      expect(tributaryWrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
      expect(tributaryWrong.body.success).toBeUndefined();
    });

    it('refreshes with the body form, reads and updates the profile, and reports application access', async () => {
      const session = (await originalLogin('nimal@shop.test', 'b2c')).body.data!;
      const refreshed = await client.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.success).toBe(true);
      const token = refreshed.body.data?.accessToken as string;
      expect(token).toEqual(expect.any(String));
      const profile = await client.call('GET', '/api/v1/auth/profile', { token });
      expect(profile.body).toMatchObject({ success: true, data: { email: 'nimal@shop.test', role: 'customer' } });
      const updated = await client.call('PUT', '/api/v1/auth/profile', {
        token,
        body: { firstName: 'Nimali', lastName: 'Fernando', phone: '0771234567' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ success: true, data: { fullName: 'Nimali Fernando', role: 'customer' } });
      const b2c = await client.call('GET', '/api/v1/auth/applications/b2c/access', { token });
      expect(b2c.body).toMatchObject({ success: true, data: { application: 'b2c', hasAccess: true } });
      const admin = await client.call('GET', '/api/v1/auth/applications/admin/access', { token });
      expect(admin.body.data).toMatchObject({ hasAccess: false, role: 'customer' });
      const unknown = await client.call('GET', '/api/v1/auth/applications/pos/access', { token });
      expect(unknown.status).toBe(400);
      expect(unknown.body.success).toBe(false);
      const anonymous = await client.call('GET', '/api/v1/auth/applications/b2c/access');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ success: false, code: 'AUTH_REQUIRED' });
    });

    it('changes the password, keeping this session and ending the others; then logs out', async () => {
      const other = (await originalLogin('buyer@perera.test', 'b2b')).body.data!;
      const mine = (await originalLogin('buyer@perera.test', 'b2b')).body.data!;
      const newPassword = 'a-much-better-password';
      const changed = await client.call('POST', '/api/v1/auth/change-password', {
        token: mine.accessToken as string,
        body: { currentPassword: PASSWORD, newPassword },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.success).toBe(true);
      expect((await client.call('GET', '/api/v1/auth/profile', { token: mine.accessToken as string })).status).toBe(200);
      const ended = await client.call('GET', '/api/v1/auth/profile', { token: other.accessToken as string });
      expect(ended.status).toBe(401);
      expect(ended.body).toMatchObject({ success: false, code: 'TOKEN_REVOKED' });
      expect((await originalLogin('buyer@perera.test', 'b2b')).status).toBe(401);
      expect((await originalLogin('buyer@perera.test', 'b2b', newPassword)).status).toBe(200);
      const out = await client.call('POST', '/api/v1/auth/logout', { token: mine.accessToken as string });
      expect(out.body, JSON.stringify(out.body)).toMatchObject({ success: true });
      expect((await client.call('GET', '/api/v1/auth/profile', { token: mine.accessToken as string })).status).toBe(401);
    });
  });
}
