import { Readable } from 'node:stream';
import { request as httpRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { methodNotAllowed } from '../core/errors.js';
import { buildApp, capturingLogger, listen } from './test-support.js';

describe('the error handler', () => {
  it('answers an AppError with its status, code, message and details', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'GET', url: '/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      code: 'ORDER_ALREADY_SHIPPED',
      message: 'order ord_1 has shipped',
      requestId: response.headers['x-request-id'],
      details: { orderId: 'ord_1' },
    });
  });

  it("shows a 5xx AppError's own message and sends its headers", async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'GET', url: '/unavailable' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'erp is not answering' });
  });

  it('logs a 503 for an unavailable upstream at warn level, not as a fault of ours', async () => {
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ logger });
    const response = await app.inject({ method: 'GET', url: '/unavailable' });
    expect(response.statusCode).toBe(503);
    const logged = lines.filter((line) => line.reqId === response.headers['x-request-id'] && Number(line.level) >= 40);
    expect(logged).toMatchObject([{ level: 40, code: 'UPSTREAM_UNAVAILABLE' }]);
  });

  it('keeps the code of an internal AppError but hides its message and details', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'GET', url: '/internal-fault' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ code: 'LEDGER_INCONSISTENT', message: 'Internal server error', requestId: expect.any(String) });
  });

  it('answers a body validation failure with 400 REQUEST_VALIDATION_FAILED and where it failed', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { sku: 'FLOUR-25' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: 'REQUEST_VALIDATION_FAILED',
      message: 'Request validation failed: /body/quantity is required',
      requestId: expect.any(String),
      details: { errors: [{ path: '/body/quantity', message: 'is required' }] },
    });
  });

  it('names the request part for params and querystring failures', async () => {
    const app = await buildApp();
    const params = await app.inject({ method: 'GET', url: '/orders/NOT-AN-ID' });
    const query = await app.inject({ method: 'GET', url: '/orders/ord_1?verbose=perhaps' });
    expect(params.statusCode).toBe(400);
    expect(params.json().details.errors[0].path).toBe('/params/id');
    expect(query.statusCode).toBe(400);
    expect(query.json().details.errors[0]).toEqual({ path: '/querystring/verbose', message: 'must be boolean' });
  });

  it('answers malformed JSON with 400 REQUEST_BODY_INVALID_JSON', async () => {
    const app = await buildApp();
    const response = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{"sku": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'REQUEST_BODY_INVALID_JSON' });
  });

  it('answers METHOD_NOT_ALLOWED with 405 and the Allow header', async () => {
    const app = await buildApp({}, (a) => {
      a.get('/feeds/:id', async (request) => {
        throw methodNotAllowed('GET', request.url, ['post', 'PUT']);
      });
    });
    const response = await app.inject({ method: 'GET', url: '/feeds/7' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST, PUT');
    expect(response.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', details: { allowed: ['POST', 'PUT'] } });
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'DELETE', url: '/orders?force=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No route for DELETE /orders', requestId: expect.any(String) });
  });

  it('answers a thrown Error with 500 INTERNAL_ERROR, leaking nothing, and logs it in full', async () => {
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ logger });
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
      requestId: response.headers['x-request-id'],
    });
    expect(response.body).not.toMatch(/ECONNREFUSED|hunter2|db\.internal/);
    const logged = lines.find((line) => line.msg === 'request failed');
    expect(logged).toMatchObject({ level: 50, reqId: response.headers['x-request-id'], code: 'INTERNAL_ERROR' });
    expect((logged?.err as { message: string }).message).toContain('ECONNREFUSED db.internal:5432');
  });

  it('answers a body over the limit with 413 REQUEST_BODY_TOO_LARGE', async () => {
    const app = await buildApp({ bodyLimit: 64 });
    const response = await app.inject({ method: 'POST', url: '/echo', payload: { note: 'x'.repeat(100) } });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'REQUEST_BODY_TOO_LARGE', requestId: response.headers['x-request-id'] });
  });

  it('answers an oversized chunked body on a real socket with 413 too', async () => {
    const app = await buildApp({ bodyLimit: 1024 });
    const origin = await listen(app);
    // A stream has no length, so undici sends it chunked and only counting the bytes can catch it.
    const body = Readable.from(Array.from({ length: 8 }, () => Buffer.alloc(512, 0x61)));
    const response = await httpRequest(`${origin}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(response.statusCode).toBe(413);
    expect((await response.body.json()) as object).toMatchObject({ code: 'REQUEST_BODY_TOO_LARGE' });
  });

  it('answers a content type Fastify cannot even parse with 415 REQUEST_UNSUPPORTED_MEDIA_TYPE', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'not a media type' }, payload: 'x' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE' });
  });

  it('gives framework refusals (a malformed URL) the same shape and headers', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'GET', url: '/orders/%zz' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'FST_ERR_BAD_URL', message: expect.any(String), requestId: response.headers['x-request-id'] });
    expect(response.headers.traceparent).toMatch(/^00-/);
  });
});
