import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { request as httpRequest } from 'undici';
import { describe, expect, it, onTestFinished } from 'vitest';
import { signRequest } from '../auth/index.js';
import { testAuth, testCredentials, TEST_SCOPE } from '../testing/signed.js';
import { bodyOf, openRaw, statusOf } from './raw-socket.js';
import { buildApp, listen } from './test-support.js';
import type { HttpApp } from './types.js';

function counted(): { routes: (app: HttpApp) => void; calls: () => number } {
  let calls = 0;
  return {
    routes: (app) => {
      app.post('/notes', { schema: { body: Type.Object({ text: Type.String() }) } }, async (request) => {
        calls++;
        return { text: request.body.text };
      });
    },
    calls: () => calls,
  };
}

/** Writes one byte every `everyMs` until the server closes the connection. */
function dribble(socket: import('node:net').Socket, everyMs: number): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) clearInterval(timer);
    else socket.write(' ');
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
  onTestFinished(() => {
    clearInterval(timer);
    socket.destroy();
  });
}

describe('slow requests are cut off', () => {
  it('answers 408 REQUEST_TIMEOUT to a body dribbled one byte at a time, and closes the connection', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({ bodyTimeoutMs: 300 }, routes);
    const origin = await listen(app);
    const raw = await openRaw(
      origin,
      'POST /notes HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    dribble(raw.socket, 50);
    const response = await raw.closed;
    expect(statusOf(response)).toBe(408);
    expect(response).toMatch(/\r\nconnection: close\r\n/i);
    expect(bodyOf(response)).toMatchObject({ code: 'REQUEST_TIMEOUT', details: { part: 'body', timeoutMs: 300 } });
    expect(calls()).toBe(0);
  });

  it('answers 408 REQUEST_TIMEOUT in the platform error shape to headers that never finish', async () => {
    const app = await buildApp({ headersTimeoutMs: 300 });
    const origin = await listen(app);
    const raw = await openRaw(origin, 'GET /health/live HTTP/1.1\r\nHost: test\r\nX-Slow: ');
    dribble(raw.socket, 50);
    const response = await raw.closed;
    expect(statusOf(response)).toBe(408);
    expect(bodyOf(response)).toMatchObject({ code: 'REQUEST_TIMEOUT', details: { part: 'headers' } });
  });

  it('answers a head Node cannot parse (a NUL in a header value) with 400 REQUEST_MALFORMED in the platform shape', async () => {
    const app = await buildApp();
    const raw = await openRaw(await listen(app), 'GET /health/live HTTP/1.1\r\nHost: test\r\nUser-Agent: a\u0000b\r\n\r\n');
    const response = await raw.closed;
    expect(statusOf(response)).toBe(400);
    expect(bodyOf(response)).toMatchObject({ code: 'REQUEST_MALFORMED' });
  });

  it("keeps Fastify's keep-alive default and sets Node's own timeouts as backstops", async () => {
    const app = await buildApp({ headersTimeoutMs: 2_000, bodyTimeoutMs: 3_000 });
    expect(app.server.keepAliveTimeout).toBe(72_000);
    expect(app.server.headersTimeout).toBe(2_000);
    expect(app.server.requestTimeout).toBe(6_000);
  });

  it('lets a body that arrives in time through', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({ bodyTimeoutMs: 5_000 }, routes);
    const response = await httpRequest(`${await listen(app)}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"hi"}',
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ text: 'hi' });
    expect(calls()).toBe(1);
  });
});

describe('refusing before reading the body', () => {
  const HUNDRED_MB = 100 * 1024 * 1024;

  it('answers an unsigned 100 MB upload with 401 before the body is sent, and closes the connection', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({ auth: testAuth(), bodyLimit: 200 * 1024 * 1024, bodyTimeoutMs: 60_000 }, routes);
    const origin = await listen(app);
    const raw = await openRaw(
      origin,
      `POST /notes HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${HUNDRED_MB}\r\n\r\n{"text":"`,
    );
    // Nothing more is written: the answer must come without the body.
    const head = await raw.head;
    expect(statusOf(head)).toBe(401);
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
    await raw.closed;
    expect(calls()).toBe(0);
  });

  it('answers a badly signed upload with 401 from its head alone', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({ auth: testAuth(), bodyTimeoutMs: 60_000 }, routes);
    const origin = await listen(app);
    const body = `{"text":"${'x'.repeat(512 * 1024)}"}`;
    const signed = await signRequest(
      { method: 'POST', url: `${origin}/notes`, headers: { 'content-type': 'application/json' }, body },
      testCredentials(),
      TEST_SCOPE,
    );
    expect(signed['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    // Forged: the signature of another request.
    const forged = { ...signed, authorization: signed.authorization!.replace(/Signature=[0-9a-f]{64}/, `Signature=${'0'.repeat(64)}`) };
    const head = Object.entries(forged)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    const raw = await openRaw(origin, `POST /notes HTTP/1.1\r\n${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n{"te`);
    const response = await raw.head;
    expect(statusOf(response)).toBe(401);
    expect(bodyOf(await raw.closed)).toMatchObject({ code: 'AUTH_SIGNATURE_MISMATCH' });
    expect(calls()).toBe(0);
  });

  it('still accepts a correctly signed upload', async () => {
    const { routes } = counted();
    const app = await buildApp({ auth: testAuth() }, routes);
    const url = `${await listen(app)}/notes`;
    const body = '{"text":"signed"}';
    const headers = await signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
      testCredentials(),
      TEST_SCOPE,
    );
    const response = await httpRequest(url, { method: 'POST', headers, body });
    expect(response.statusCode).toBe(200);
  });
});

describe('/metrics is not public', () => {
  const TOKEN = 'scrape-token-7f3a9c2e5b1d';

  it('refuses an anonymous scrape and a wrong token; accepts a signed scrape and the metrics token', async () => {
    const app = await buildApp({ auth: testAuth(), metricsToken: TOKEN });
    const origin = await listen(app);
    const anonymous = await app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'METRICS_UNAUTHORIZED' });
    const bearer = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.statusCode).toBe(200);
    expect(bearer.body).toContain('http_requests_total');
    const url = `${origin}/metrics`;
    const signed = await httpRequest(url, {
      headers: await signRequest({ method: 'GET', url, headers: {} }, testCredentials(), TEST_SCOPE),
    });
    expect(signed.statusCode).toBe(200);
    expect(await signed.body.text()).toContain('http_requests_total');
  });

  it('without a token configured, a bearer is refused and only signed scrapes pass', async () => {
    const app = await buildApp({ auth: testAuth() });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer anything' } })).statusCode).toBe(401);
    // Probes and docs stay public.
    for (const url of ['/health/live', '/health/ready', '/openapi.json'])
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
  });

  it('an app without signatures takes the token when one is configured', async () => {
    const app = await buildApp({ metricsToken: TOKEN });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
  });
});
