import Fastify, { type FastifyInstance } from 'fastify';
import { request as httpRequest } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { AuthErrorCode } from './codes.js';
import { isDefaultPublicPath, registerSigV4Auth, type SigV4AuthOptions } from './fastify-hook.js';
import { identityHeaders } from './identity.js';
import { presignUrl, signRequest } from './sign.js';
import { CREDENTIALS, NOW, SCOPE, verifyOptions } from './test-support.js';

const ORIGIN = 'http://orders.internal';
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A bare app standing in for the platform's HTTP app: raw-body JSON parser and one error handler. */
async function buildApp(overrides: Partial<SigV4AuthOptions> = {}): Promise<FastifyInstance> {
  const instance = Fastify({ logger: false });
  instance.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    try {
      done(null, raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  instance.setErrorHandler((error, request, reply) => {
    if (isAppError(error)) return reply.status(error.status).send({ code: error.code, message: error.message, requestId: request.id });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.status(status).send({ code: 'HTTP_ERROR', message: String((error as Error).message), requestId: request.id });
  });
  registerSigV4Auth(instance, { ...verifyOptions(), ...overrides });
  instance.get('/health/live', async () => ({ status: 'ok' }));
  instance.get('/v1/whoami', async (request) => request.identity ?? null);
  instance.post(
    '/v1/orders',
    { schema: { body: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } } } },
    async (request) => ({ identity: request.identity, body: request.body }),
  );
  instance.post('/v1/notes', async (request) => ({ body: request.body }));
  instance.put('/v1/lots/*', async (request) => ({ identity: request.identity, body: request.body, query: request.query }));
  await instance.ready();
  app = instance;
  return instance;
}

async function signed(method: string, pathAndQuery: string, headers: Record<string, string> = {}, body?: string) {
  const request = { method, url: `${ORIGIN}${pathAndQuery}`, headers, ...(body === undefined ? {} : { body }) };
  return signRequest(request, CREDENTIALS, SCOPE, new Date(NOW));
}

describe('registerSigV4Auth', () => {
  it('refuses an unsigned request with 401 and the stable code', async () => {
    const server = await buildApp();
    const response = await server.inject({ method: 'GET', url: '/v1/whoami' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ code: AuthErrorCode.SignatureMissing, message: expect.any(String), requestId: expect.any(String) });
  });

  it('answers 401 before parsing or validating an unsigned body, and for unknown routes', async () => {
    const server = await buildApp();
    const invalidBody = await server.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    const unknownType = await server.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { 'content-type': 'application/x-nope' },
      payload: 'x',
    });
    const unknownRoute = await server.inject({ method: 'GET', url: '/v1/admin/secrets' });
    for (const response of [invalidBody, unknownType, unknownRoute]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe(AuthErrorCode.SignatureMissing);
    }
  });

  it('lets /health/live through unsigned', async () => {
    const server = await buildApp();
    const response = await server.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('passes a signed GET and exposes the identity to the handler', async () => {
    const server = await buildApp();
    const headers = await signed('GET', '/v1/whoami?verbose=1', identityHeaders({ user: 'alice', roles: ['planner', 'qa'] }));
    const response = await server.inject({ method: 'GET', url: '/v1/whoami?verbose=1', headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ principal: 'svc:orders', user: 'alice', roles: ['planner', 'qa'] });
  });

  it('passes a signed JSON POST, checking the raw body bytes', async () => {
    const server = await buildApp();
    // Odd spacing on purpose: only the raw bytes, not a re-serialised body, hash to the signed value.
    const body = '{ "sku" :  "FLOUR-25" }';
    const headers = await signed('POST', '/v1/orders', { 'content-type': 'application/json', ...identityHeaders({ user: 'bob' }) }, body);
    const response = await server.inject({ method: 'POST', url: '/v1/orders', headers, payload: body });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ identity: { principal: 'svc:orders', user: 'bob', roles: [] }, body: { sku: 'FLOUR-25' } });
  });

  it('refuses a signed POST whose body was changed', async () => {
    const server = await buildApp();
    const headers = await signed('POST', '/v1/orders', { 'content-type': 'application/json' }, '{"sku":"FLOUR-25"}');
    const response = await server.inject({ method: 'POST', url: '/v1/orders', headers, payload: '{"sku":"FLOUR-26"}' });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe(AuthErrorCode.PayloadHashMismatch);
  });

  it('refuses an identity header that was not signed', async () => {
    const server = await buildApp();
    const headers = await signed('GET', '/v1/whoami');
    const response = await server.inject({ method: 'GET', url: '/v1/whoami', headers: { ...headers, 'x-tributary-roles': 'admin' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe(AuthErrorCode.HeaderNotSigned);
  });

  it('accepts a presigned URL', async () => {
    const server = await buildApp();
    const presigned = await presignUrl({ method: 'GET', url: `${ORIGIN}/v1/whoami`, headers: {} }, CREDENTIALS, SCOPE, {
      expiresInSeconds: 60,
      now: new Date(NOW),
    });
    const url = new URL(presigned.url);
    const response = await server.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: presigned.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ principal: 'svc:orders', roles: [] });
  });

  it('says so when a body arrived but no parser captured its raw bytes', async () => {
    const server = await buildApp();
    const headers = await signed('POST', '/v1/notes', { 'content-type': 'text/plain' }, 'hello');
    const response = await server.inject({ method: 'POST', url: '/v1/notes', headers, payload: 'hello' });
    expect(response.statusCode).toBe(500);
    expect(response.json().code).toBe('AUTH_RAW_BODY_UNAVAILABLE');
  });

  it('uses the given public paths instead of the defaults', async () => {
    const server = await buildApp({ publicPaths: (path) => path === '/v1/whoami' });
    const open = await server.inject({ method: 'GET', url: '/v1/whoami' });
    const closed = await server.inject({ method: 'GET', url: '/health/live' });
    expect(open.statusCode).toBe(200);
    expect(open.body).toBe('null');
    expect(closed.statusCode).toBe(401);
  });
});

describe('registerSigV4Auth over a real socket', () => {
  it('verifies what a signed undici request puts on the wire: encoded path, repeated query keys, body', async () => {
    // Signed with the real time, so the server keeps the real clock too.
    const server = await buildApp({ now: Date.now });
    const origin = await server.listen({ host: '127.0.0.1', port: 0 });
    const url = new URL(`${origin}/v1/lots/batch 7:a/crème brûlée?lot=b&lot=a&note=50%25+off`);
    const body = JSON.stringify({ sku: 'CREAM-1', quantity: 2 });
    const headers = await signRequest(
      {
        method: 'PUT',
        url: url.href,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-9', ...identityHeaders({ user: 'Zoë', roles: ['line lead'] }) },
        body,
      },
      CREDENTIALS,
      SCOPE,
    );

    const response = await httpRequest(`${origin}${url.pathname}${url.search}`, { method: 'PUT', headers, body });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({
      identity: { principal: 'svc:orders', user: 'Zoë', roles: ['line lead'] },
      body: { sku: 'CREAM-1', quantity: 2 },
      query: { lot: ['b', 'a'], note: '50% off' },
    });
  });
});

describe('isDefaultPublicPath', () => {
  it('covers probes and docs, not metrics, and nothing that merely starts alike', () => {
    for (const path of ['/health/live', '/health/ready', '/openapi.json', '/docs', '/docs/', '/docs/static/index.html']) {
      expect(isDefaultPublicPath(path), path).toBe(true);
    }
    for (const path of ['/metrics', '/health', '/health/live/x', '/metrics2', '/docsx', '/v1/docs', '/']) {
      expect(isDefaultPublicPath(path), path).toBe(false);
    }
  });
});
