import { describe, expect, it } from 'vitest';
import { isUuid } from '../core/ids.js';
import { isSaneRequestId } from './request-id.js';
import { buildApp, capturingLogger } from './test-support.js';

describe('isSaneRequestId', () => {
  it('accepts short tokens of safe characters', () => {
    for (const id of ['req-9', 'abc.DEF:1_2', 'x'.repeat(128), '3f9c2b1e-0d4a-4c55-9e77-1a2b3c4d5e6f']) {
      expect(isSaneRequestId(id), id).toBe(true);
    }
  });

  it('refuses empty, overlong, folded and injection-shaped values', () => {
    for (const id of ['', 'x'.repeat(129), 'a b', 'a, b', 'a\nb', '{"level":60}', '<script>', 'é']) {
      expect(isSaneRequestId(id), id).toBe(false);
    }
    expect(isSaneRequestId(['a', 'b'])).toBe(false);
    expect(isSaneRequestId(undefined)).toBe(false);
  });
});

describe('request id over HTTP', () => {
  it('generates a uuid when the caller sends none, and quotes it in error bodies', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'GET', url: '/no-such-route' });
    const id = response.headers['x-request-id'];
    expect(typeof id === 'string' && isUuid(id)).toBe(true);
    expect(response.json().requestId).toBe(id);
  });

  it('gives every request its own id', async () => {
    const app = await buildApp();
    const first = await app.inject({ method: 'GET', url: '/health/live' });
    const second = await app.inject({ method: 'GET', url: '/health/live' });
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it("echoes the caller's id on success and on error", async () => {
    const app = await buildApp();
    const ok = await app.inject({ method: 'GET', url: '/orders/ord_1', headers: { 'x-request-id': 'gw-7f3a:42.b_c' } });
    const failed = await app.inject({ method: 'GET', url: '/conflict', headers: { 'x-request-id': 'gw-7f3a:43' } });
    expect(ok.headers['x-request-id']).toBe('gw-7f3a:42.b_c');
    expect(failed.headers['x-request-id']).toBe('gw-7f3a:43');
    expect(failed.json().requestId).toBe('gw-7f3a:43');
  });

  it('replaces an id that is too long or carries unsafe characters', async () => {
    const app = await buildApp();
    for (const given of ['x'.repeat(129), 'abc def', '{"admin":true}', '../../etc/passwd']) {
      const response = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': given } });
      const id = response.headers['x-request-id'];
      expect(id).not.toBe(given);
      expect(typeof id === 'string' && isUuid(id), given).toBe(true);
    }
  });

  it("binds the id to the request's log lines as reqId", async () => {
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ logger });
    await app.inject({ method: 'GET', url: '/orders/ord_1', headers: { 'x-request-id': 'trace-me-1' } });
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ reqId: 'trace-me-1', route: '/orders/:id', status: 200 });
  });
});
