import { Type } from '@sinclair/typebox';
import { request as httpRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { identityHeaders, signRequest, type SigningCredentials, type SigV4AuthOptions } from '../auth/index.js';
import { buildApp, listen } from './test-support.js';
import type { HttpApp } from './types.js';

const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const CREDENTIALS: SigningCredentials = { accessKeyId: 'AKIDGATEWAY', secretAccessKey: 'gateway-secret-3c5e7a9b1d2f4e6a8c0b' };
const AUTH: SigV4AuthOptions = {
  ...SCOPE,
  lookup: (id) => (id === CREDENTIALS.accessKeyId ? { secretAccessKey: CREDENTIALS.secretAccessKey, principal: 'svc:gateway' } : undefined),
};

function routes(app: HttpApp): void {
  app.post('/orders', { schema: { body: Type.Object({ sku: Type.String() }) } }, async (request) => ({
    identity: request.identity,
    sku: request.body.sku,
  }));
  app.post('/notes', async (request) => ({ identity: request.identity, body: request.body }));
}

describe('createHttpApp with auth', () => {
  it('refuses an unsigned request with 401 AUTH_SIGNATURE_MISSING in the usual error shape', async () => {
    const app = await buildApp({ auth: AUTH }, routes);
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { sku: 'FLOUR-25' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      code: 'AUTH_SIGNATURE_MISSING',
      message: expect.any(String),
      requestId: response.headers['x-request-id'],
    });
    expect(response.headers.traceparent).toMatch(/^00-/);
  });

  it('keeps probes and docs public', async () => {
    const app = await buildApp({ auth: AUTH }, routes);
    for (const url of ['/health/live', '/health/ready', '/openapi.json', '/docs']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it('passes requests signed over a real socket and sets request.identity', async () => {
    // Signed with the real time, so the server keeps the real clock too.
    const app = await buildApp({ auth: { ...AUTH, now: Date.now } }, routes);
    const origin = await listen(app);
    const cases = [
      { path: '/orders', type: 'application/json', body: '{ "sku" : "FLOUR-25" }', expected: { sku: 'FLOUR-25' } },
      { path: '/notes', type: 'text/plain; charset=utf-8', body: 'löschen bitte', expected: { body: 'löschen bitte' } },
    ];
    for (const { path, type, body, expected } of cases) {
      const url = `${origin}${path}`;
      const headers = await signRequest(
        { method: 'POST', url, headers: { 'content-type': type, ...identityHeaders({ user: 'alice', roles: ['planner'] }) }, body },
        CREDENTIALS,
        SCOPE,
      );
      const response = await httpRequest(url, { method: 'POST', headers, body });
      expect(response.statusCode, path).toBe(200);
      expect(await response.body.json()).toEqual({
        identity: { principal: 'svc:gateway', user: 'alice', roles: ['planner'] },
        ...expected,
      });
    }
  });

  it('refuses a signed request whose body was altered on the way', async () => {
    const app = await buildApp({ auth: { ...AUTH, now: Date.now } }, routes);
    const origin = await listen(app);
    const url = `${origin}/orders`;
    const headers = await signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{"sku":"A"}' },
      CREDENTIALS,
      SCOPE,
    );
    const response = await httpRequest(url, { method: 'POST', headers, body: '{"sku":"B"}' });
    expect(response.statusCode).toBe(401);
    expect(((await response.body.json()) as { code: string }).code).toBe('AUTH_PAYLOAD_HASH_MISMATCH');
  });
});
