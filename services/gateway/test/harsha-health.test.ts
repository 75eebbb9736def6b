import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { createUser, gatewayBed, PASSWORD, type TestGateway } from './support.js';
import { harshaClient, type HarshaClient } from './harsha-support.js';

const redisUrl = process.env.TEST_REDIS_URL;

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the original gateway's probes, docs and limit headers`, () => {
    const bed = gatewayBed(target);
    let gateway: TestGateway;
    let client: HarshaClient;

    beforeAll(async () => {
      gateway = await bed.gateway({ env: redisUrl ? { REDIS_URL: redisUrl } : {} });
      client = await harshaClient(gateway);
      await createUser(gateway, 'probe-user', 'analyst', 'basic');
    });

    it('answers /api/v1/health, /ready and /live with the database and Redis checks', async () => {
      const health = await client.call('GET', '/api/v1/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        success: true,
        status: 'healthy',
        checks: { database: 'up', redis: redisUrl ? 'up' : 'not configured' },
      });
      const ready = await client.call('GET', '/api/v1/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toMatchObject({ database: 'up' });
      const live = await client.call('GET', '/api/v1/live');
      expect(live.body).toEqual({ success: true, status: 'alive' });
    });

    it('serves the docs page at /api/docs and the document at /api/docs.json', async () => {
      const base = await client.call('GET', '/api/docs.json');
      expect(base.status).toBe(200);
      const paths = base.body.paths as Record<string, unknown>;
      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining(['/api/v1/auth/register', '/api/v1/auth/2fa/verify', '/api/v1/admin/dashboard', '/api/v1/health']),
      );
      const page = await fetch(`${client.base}/api/docs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('swagger-ui');
    });

    it('sends the original X-RateLimit headers next to RateLimit-* on limited answers', async () => {
      const login = await client.call('POST', '/api/v1/auth/login', {
        body: { email: 'probe-user@test.local', password: PASSWORD, application: 'b2c' },
      });
      const answer = await client.call('GET', '/api/v1/auth/profile', { token: login.body.data?.accessToken as string });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-ratelimit-limit')).toBe(answer.headers.get('ratelimit-limit'));
      expect(answer.headers.get('x-ratelimit-limit')).toBe('30');
      expect(answer.headers.get('x-ratelimit-remaining')).toBe(answer.headers.get('ratelimit-remaining'));
      const reset = Number(answer.headers.get('x-ratelimit-reset'));
      const resetIn = Number(answer.headers.get('ratelimit-reset'));
      // The original reset is an epoch second; Tributary's is seconds from now.
      expect(reset).toBeGreaterThan(resetIn);
      expect(reset).toBeGreaterThan(1_600_000_000);
    });
  });
}
