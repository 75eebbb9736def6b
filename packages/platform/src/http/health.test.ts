import { describe, expect, it } from 'vitest';
import { buildApp } from './test-support.js';

describe('health routes', () => {
  it('answers liveness without consulting any dependency', async () => {
    const app = await buildApp({ readiness: { database: () => Promise.reject(new Error('down')) } });
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when every check passes', async () => {
    const app = await buildApp({ readiness: { database: async () => {}, broker: async () => {} } });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { database: 'ok', broker: 'ok' } });
  });

  it('answers 503 naming the failing check and its message', async () => {
    const app = await buildApp({
      readiness: { database: async () => {}, broker: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) },
    });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', broker: 'connect ECONNREFUSED 127.0.0.1:6379' } });
  });

  it('fails a check that does not answer within its timeout', async () => {
    const app = await buildApp({ readiness: { database: () => new Promise<void>(() => {}) }, readinessTimeoutMs: 20 });
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json().checks.database).toBe('readiness check database did not complete within 20 ms');
  });
});
