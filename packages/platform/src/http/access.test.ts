import { Type } from '@sinclair/typebox';
import { describe, expect, it, onTestFinished } from 'vitest';
import { forbidden } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { signedInject, testAuth, testCredentials } from '../testing/signed.js';
import { guardedAccess, publicAccess, RouteAccessUndeclaredError, routeAccessList, signedAccess } from './access.js';
import { createHttpApp } from './app.js';
import { buildApp } from './test-support.js';

async function serviceApp() {
  const app = await createHttpApp({ name: 'access-test', logger: silentLogger(), auth: testAuth(), requireRouteAccess: true });
  onTestFinished(() => app.close());
  return app;
}

/** Admits callers signing as `orders`; refuses everyone else with the catalogue's code. */
const ordersOnly = guardedAccess(['SERVICE'], async (request) => {
  if (request.identity?.principal !== 'orders') throw forbidden('ROLE_FORBIDDEN', 'orders only', { details: { allowed: ['SERVICE'] } });
});

describe('route access: declared with the route, enforced by one hook', () => {
  it('refuses to start while a route declares no access, naming it', async () => {
    const app = await serviceApp();
    let ran = false;
    app.get('/declared', { config: { access: signedAccess } }, async () => ({ ok: true }));
    app.post('/forgotten', async () => {
      ran = true;
      return { ok: true };
    });
    const refusal = await app.ready().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(RouteAccessUndeclaredError);
    expect((refusal as RouteAccessUndeclaredError).routes).toEqual(['POST /forgotten']);
    expect((refusal as Error).message).toMatch(/POST \/forgotten/);
    expect(ran).toBe(false);
  });

  it('starts when every route declares a rule, the kernel routes (probes, docs, metrics) included', async () => {
    const app = await serviceApp();
    app.get('/declared', { config: { access: signedAccess } }, async () => ({ ok: true }));
    await app.ready();
    const rules = new Map(routeAccessList(app).map((entry) => [`${entry.method} ${entry.url}`, entry.access?.kind]));
    expect(rules.get('GET /health/live')).toBe('public');
    expect(rules.get('GET /openapi.json')).toBe('public');
    const docs = [...rules].filter(([key]) => key.startsWith('GET /docs'));
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.every(([, kind]) => kind === 'public')).toBe(true);
    expect(rules.get('GET /metrics')).toBe('own-credential');
    expect(rules.get('GET /declared')).toBe('signed');
    expect([...rules.values()].filter((kind) => kind === undefined)).toEqual([]);
  });

  it("denies with the guard's own 403 code before the body is validated, and admits the callers it allows", async () => {
    const app = await serviceApp();
    let ran = 0;
    app.post('/plans', { config: { access: ordersOnly }, schema: { body: Type.Object({ name: Type.String() }) } }, async () => {
      ran += 1;
      return { ok: true };
    });
    await app.ready();
    const refused = await signedInject(app, { method: 'POST', url: '/plans', body: { wrong: 1 } }, testCredentials('sync'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'ROLE_FORBIDDEN', details: { allowed: ['SERVICE'] } });
    expect(ran).toBe(0);
    const invalid = await signedInject(app, { method: 'POST', url: '/plans', body: { wrong: 1 } }, testCredentials('orders'));
    expect(invalid.statusCode).toBe(400);
    const admitted = await signedInject(app, { method: 'POST', url: '/plans', body: { name: 'p' } }, testCredentials('orders'));
    expect(admitted.statusCode).toBe(200);
    expect(ran).toBe(1);
  });

  it('lists guard roles in the OpenAPI document, none for public routes, and leaves unknown paths a 404', async () => {
    const app = await serviceApp();
    app.get('/plans', { config: { access: ordersOnly } }, async () => []);
    app.get('/public-note', { config: { access: publicAccess('test') } }, async () => 'hello');
    await app.ready();
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, { get: { security: unknown } }>;
    };
    expect(spec.paths['/plans']?.get.security).toEqual([{ sigv4: ['SERVICE'] }]);
    expect(spec.paths['/public-note']?.get.security).toEqual([]);
    const missing = await signedInject(app, { method: 'GET', url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
  });

  it('leaves apps that do not require declarations as they were (bare kernel apps in tests)', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'GET', url: '/orders/ord_1' });
    expect(response.statusCode).toBe(200);
  });
});
