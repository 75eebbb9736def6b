import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { createServiceClient, type ServiceClient, type ServiceClientOptions } from './client.js';
import { sendJson, startServer, type TestServer } from './test-support.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((fn) => fn()));
});

/** Answers 503 for the first `failures` requests, then 200. */
async function flakyServer(failures: number, headers: Record<string, string> = {}): Promise<TestServer> {
  const server = await startServer((_req, res) => {
    if (server.hits <= failures) sendJson(res, 503, { code: 'BUSY', message: 'try later' }, headers);
    else sendJson(res, 200, { ok: true, attempt: server.hits });
  });
  cleanup.push(() => server.close());
  return server;
}

function client(server: TestServer, options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const created = createServiceClient({
    name: 'erp',
    baseUrl: server.url,
    retry: { maxAttempts: 3, baseMs: 1, capMs: 10 },
    // Keep the breaker out of these tests' way.
    breaker: { consecutiveFailures: 1000, minimumRequests: 1000 },
    ...options,
  });
  cleanup.push(() => created.close());
  return created;
}

describe('service client retries', () => {
  it('retries a GET on 503 and returns the success', async () => {
    const server = await flakyServer(2);
    await expect(client(server).json({ method: 'GET', path: '/lots' })).resolves.toEqual({ ok: true, attempt: 3 });
    expect(server.hits).toBe(3);
  });

  it('never retries a POST without an idempotency key', async () => {
    const server = await flakyServer(5);
    const response = await client(server).request({ method: 'POST', path: '/orders', body: { sku: 'A' } });
    expect(response.status).toBe(503);
    expect(server.hits).toBe(1);
  });

  it('never retries a PATCH without an idempotency key, even on a transport error', async () => {
    const server = await startServer((_req, res) => {
      res.socket?.destroy();
    });
    cleanup.push(() => server.close());
    await expect(client(server).request({ method: 'PATCH', path: '/orders/1', body: {} })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
    expect(server.hits).toBe(1);
  });

  it('retries a POST that carries an idempotency key, sending the same key and bytes each time', async () => {
    const server = await flakyServer(1);
    const result = await client(server).json({ method: 'POST', path: '/orders', body: { sku: 'A' }, idempotencyKey: 'order-77' });
    expect(result).toEqual({ ok: true, attempt: 2 });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['order-77', 'order-77']);
    expect(server.requests[0]?.body.equals(server.requests[1]!.body)).toBe(true);
  });

  it('gives up after maxAttempts and hands back the last answer', async () => {
    const server = await flakyServer(100);
    const erp = client(server, { retry: { maxAttempts: 4, baseMs: 1, capMs: 5 } });
    const response = await erp.request({ method: 'DELETE', path: '/lots/1' });
    expect(response.status).toBe(503);
    expect(server.hits).toBe(4);
    await expect(erp.json({ method: 'GET', path: '/lots/1' })).rejects.toMatchObject({ status: 503, code: 'BUSY' });
  });

  it('does not retry 500 or 4xx answers', async () => {
    const server = await startServer((req, res) => sendJson(res, req.url === '/boom' ? 500 : 404, { code: 'X', message: 'x' }));
    cleanup.push(() => server.close());
    const erp = client(server);
    expect((await erp.request({ method: 'GET', path: '/boom' })).status).toBe(500);
    expect((await erp.request({ method: 'GET', path: '/missing' })).status).toBe(404);
    expect(server.hits).toBe(2);
  });

  it('honours Retry-After only up to the cap', async () => {
    const server = await flakyServer(1, { 'retry-after': '120' });
    const started = Date.now();
    const result = await client(server, { retry: { maxAttempts: 2, baseMs: 1, capMs: 50 } }).json({ method: 'GET', path: '/x' });
    expect(result).toEqual({ ok: true, attempt: 2 });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('retries a reset connection for a GET', async () => {
    const server = await startServer((_req, res) => {
      if (server.hits === 1) res.socket?.destroy();
      else sendJson(res, 200, { ok: true });
    });
    cleanup.push(() => server.close());
    await expect(client(server).json({ method: 'GET', path: '/x' })).resolves.toEqual({ ok: true });
    expect(server.hits).toBe(2);
  });
});

describe('service client timeouts', () => {
  it('a server that never answers gives 504 UPSTREAM_TIMEOUT within the budget', async () => {
    const server = await startServer(() => undefined);
    cleanup.push(() => server.close());
    const started = Date.now();
    const error = await client(server, { timeoutMs: 200 })
      .request({ method: 'GET', path: '/slow' })
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', category: 'timeout', status: 504 });
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(5000);
    expect(server.hits).toBe(1);
  });

  it('a per-request timeout overrides the client default', async () => {
    const server = await startServer(() => undefined);
    cleanup.push(() => server.close());
    const started = Date.now();
    await expect(client(server, { timeoutMs: 60_000 }).request({ method: 'GET', path: '/slow', timeoutMs: 100 })).rejects.toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('the budget covers retries: waits that would overrun it are not started', async () => {
    const server = await flakyServer(100, { 'retry-after': '30' });
    const started = Date.now();
    const response = await client(server, { timeoutMs: 300, retry: { maxAttempts: 5, baseMs: 1, capMs: 60_000 } }).request({
      method: 'GET',
      path: '/x',
    });
    expect(response.status).toBe(503);
    expect(server.hits).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
