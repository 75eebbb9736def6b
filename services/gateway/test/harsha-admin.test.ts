import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { createUser, gatewayBed, PASSWORD, type TestGateway } from './support.js';
import { harshaClient, type HarshaClient } from './harsha-support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the original Harsha admin API`, () => {
    const bed = gatewayBed(target);
    let gateway: TestGateway;
    let client: HarshaClient;
    let admin: string;
    let master: string;

    const adminLogin = async (username: string) => {
      const answer = await client.call('POST', '/api/v1/auth/login', {
        body: { email: `${username}@test.local`, password: PASSWORD, application: 'admin', rememberMe: false },
      });
      expect(answer.status).toBe(200);
      return answer.body.data?.accessToken as string;
    };

    beforeAll(async () => {
      gateway = await bed.gateway();
      client = await harshaClient(gateway);
      await createUser(gateway, 'hd-admin', 'administrator', 'unlimited');
      await createUser(gateway, 'hd-master', 'MASTER-ADMIN');
      await createUser(gateway, 'hd-analyst-b', 'analyst');
      await createUser(gateway, 'hd-analyst-a', 'analyst');
      admin = await adminLogin('hd-admin');
      master = await adminLogin('hd-master');
    });

    it('shows the dashboard counts', async () => {
      const answer = await client.call('GET', '/api/v1/admin/dashboard', { token: admin });
      expect(answer.status).toBe(200);
      expect(answer.body.success).toBe(true);
      expect(answer.body.data).toMatchObject({
        users: { total: 4, active: 4 },
        apiKeys: { total: 0 },
        routes: { total: expect.any(Number) },
      });
      // The two admin logins above were answered today.
      expect(answer.body.data?.requestsToday).toBeGreaterThanOrEqual(2);
    });

    it('lists users with the original filters, paging and sorting', async () => {
      const answer = await client.call('GET', '/api/v1/admin/users?page=1&limit=2&role=analyst&sortBy=username&sortOrder=asc', {
        token: admin,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toMatchObject({ page: 1, limit: 2, total: 2 });
      const items = answer.body.data?.items as Array<{ username: string }>;
      expect(items.map((u) => u.username)).toEqual(['hd-analyst-a', 'hd-analyst-b']);
      const bad = await client.call('GET', '/api/v1/admin/users?sortBy=password_hash', { token: admin });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ success: false, code: 'REQUEST_VALIDATION_FAILED' });
    });

    it('updates a user with PUT and the original body, and refuses granting above the caller', async () => {
      const answer = await client.call('PUT', '/api/v1/admin/users/usr_hd_analyst_a', {
        token: admin,
        body: { fullName: 'Analyst A', role: 'manager', department: 'Finance', isActive: true, isVerified: true, rateLimitTier: 'premium' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ success: true, data: { fullName: 'Analyst A', role: 'manager', rateLimitTier: 'premium' } });
      const row = await gateway.deps.db
        .selectFrom('api_users')
        .select('is_verified')
        .where('user_id', '=', 'usr_hd_analyst_a')
        .executeTakeFirstOrThrow();
      expect(row.is_verified).toBe(true);
      const escalate = await client.call('PUT', '/api/v1/admin/users/usr_hd_analyst_b', { token: master, body: { role: 'administrator' } });
      expect(escalate.status).toBe(403);
      expect(escalate.body).toMatchObject({ success: false, code: 'ROLE_ESCALATION_DENIED' });
      const missing = await client.call('PUT', '/api/v1/admin/users/usr_nobody', { token: admin, body: { fullName: 'x' } });
      expect(missing.status).toBe(404);
    });

    it('creates a route from the original body with its defaults, changes it with PUT, and lists it', async () => {
      const created = await client.call('POST', '/api/v1/admin/routes', {
        token: admin,
        body: {
          pathPattern: '/api/v1/widgets/{id}',
          httpMethod: 'GET',
          serviceName: 'widgets',
          upstreamUrl: 'http://127.0.0.1:9/widgets',
          routeName: 'Widgets',
          routeDescription: 'widget lookups',
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        success: true,
        data: {
          authenticationRequired: true,
          timeoutSeconds: 30,
          circuitBreakerEnabled: true,
          failureThreshold: 5,
          recoveryTimeoutMs: 60000,
        },
      });
      const routeId = created.body.data?.routeId as string;
      const changed = await client.call('PUT', `/api/v1/admin/routes/${routeId}`, {
        token: admin,
        body: { timeoutSeconds: 10, recoveryTimeout: 120000, isActive: false },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.data).toMatchObject({ timeoutSeconds: 10, recoveryTimeoutMs: 120000, isActive: false });
      const tooShort = await client.call('POST', '/api/v1/admin/routes', {
        token: admin,
        body: {
          pathPattern: '/api/v1/x',
          httpMethod: 'GET',
          serviceName: 'x',
          upstreamUrl: 'http://127.0.0.1:9',
          routeName: 'x',
          recoveryTimeout: 5,
        },
      });
      expect(tooShort.status).toBe(400);
      expect(tooShort.body.success).toBe(false);
      const listed = await client.call('GET', '/api/v1/admin/routes?serviceName=widgets', { token: admin });
      expect(listed.body.data).toMatchObject({ total: 1 });
    });

    it('lists and revokes API keys with the original calls', async () => {
      const created = await client.call('POST', '/api/v1/admin/api-keys', {
        token: admin,
        body: { userId: 'usr_hd_analyst_b', name: 'pos', serviceName: 'pos', scopes: ['customers:read'] },
      });
      expect(created.status).toBe(201);
      const keyId = (created.body.data?.apiKey as { keyId: string }).keyId;
      const listed = await client.call('GET', '/api/v1/admin/api-keys?page=1&limit=5&serviceName=pos&isActive=true', { token: admin });
      expect(listed.body).toMatchObject({ success: true, data: { total: 1 } });
      const removed = await client.call('DELETE', `/api/v1/admin/api-keys/${keyId}`, { token: admin });
      expect(removed.status).toBe(204);
      const after = await client.call('GET', '/api/v1/admin/api-keys?isActive=true&serviceName=pos', { token: admin });
      expect(after.body.data).toMatchObject({ total: 0 });
    });

    it('filters the audit log by the original fromDate, toDate and statusCode', async () => {
      const today = new Date(gateway.clock.now()).toISOString().slice(0, 10);
      const answer = await client.call('GET', `/api/v1/admin/audit-logs?page=1&limit=50&fromDate=${today}&toDate=${today}&statusCode=200`, {
        token: admin,
      });
      expect(answer.status).toBe(200);
      const items = answer.body.data?.items as Array<{ statusCode: number }>;
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((row) => row.statusCode)).toEqual(items.map(() => 200));
      const yesterday = new Date(gateway.clock.now() - 86_400_000).toISOString().slice(0, 10);
      const none = await client.call('GET', `/api/v1/admin/audit-logs?fromDate=${yesterday}&toDate=${yesterday}`, { token: admin });
      expect(none.body.data).toMatchObject({ total: 0 });
    });

    it('reports system health, and keeps the Tributary form plain for Tributary sessions', async () => {
      const health = await client.call('GET', '/api/v1/admin/system/health', { token: admin });
      expect(health.body).toMatchObject({ success: true, data: { database: 'up' } });
      const plain = await client.call('POST', '/api/v1/auth/login', { body: { username: 'hd-admin', password: PASSWORD } });
      const users = await client.call('GET', '/api/v1/admin/users', { token: plain.body.accessToken as string });
      expect(users.status).toBe(200);
      expect(users.body.success).toBeUndefined();
      expect(users.body.items).toEqual(expect.any(Array));
      const headerForm = await client.call('GET', '/api/v1/admin/users', {
        token: plain.body.accessToken as string,
        headers: { 'x-application-context': 'admin' },
      });
      expect(headerForm.body).toMatchObject({ success: true, data: { items: expect.any(Array) } });
    });

    it('answers an admin call without the admin role in the envelope', async () => {
      const analyst = await client.call('POST', '/api/v1/auth/login', {
        body: { email: 'hd-analyst-b@test.local', password: PASSWORD, application: 'b2b' },
      });
      const answer = await client.call('GET', '/api/v1/admin/dashboard', { token: analyst.body.data?.accessToken as string });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ success: false, code: 'ROLE_ACCESS_DENIED' });
    });
  });
}
