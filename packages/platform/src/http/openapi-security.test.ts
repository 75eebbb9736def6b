import { describe, expect, it } from 'vitest';
import { isDefaultPublicPath } from '../auth/fastify-hook.js';
import { testAuth } from '../testing/index.js';
import { declareAccess } from './openapi-security.js';
import { buildApp, demoRoutes } from './test-support.js';
import type { HttpApp } from './types.js';

function routes(app: HttpApp): void {
  demoRoutes(app);
  const adminsOnly = declareAccess(async () => undefined, ['ADMIN', 'SERVICE']);
  app.delete('/orders/:id', { preValidation: adminsOnly }, async () => ({ ok: true }));
  app.post('/webhooks/in', async () => ({ ok: true }));
}

async function documentOf(app: HttpApp) {
  return (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
}

describe('OpenAPI security from the declared access', () => {
  it('a signed app declares the SigV4 scheme, requires it by default and lists each route’s declared roles', async () => {
    const app = await buildApp({ auth: testAuth() }, routes);
    const doc = await documentOf(app);
    expect(doc.components.securitySchemes.sigv4).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(doc.security).toEqual([{ sigv4: [] }]);
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(doc.paths['/orders/{id}'].delete.security).toEqual([{ sigv4: ['ADMIN', 'SERVICE'] }]);
    // No declared guard: any signed caller, the handler decides.
    expect(doc.paths['/orders/{id}'].get.security).toEqual([{ sigv4: [] }]);
    expect(doc.paths['/webhooks/in'].post.security).toEqual([{ sigv4: [] }]);
  });

  it('paths the app leaves public are documented with no requirement', async () => {
    const publicPaths = (path: string) => isDefaultPublicPath(path) || path.startsWith('/webhooks/');
    const app = await buildApp({ auth: { ...testAuth(), publicPaths } }, routes);
    const doc = await documentOf(app);
    expect(doc.paths['/webhooks/in'].post.security).toEqual([]);
    expect(doc.paths['/orders'].post.security).toEqual([{ sigv4: [] }]);
  });

  it('an app that verifies no signatures declares no scheme', async () => {
    const doc = await documentOf(await buildApp({}, routes));
    expect(doc.components?.securitySchemes).toBeUndefined();
    expect(doc.security).toBeUndefined();
    expect(doc.paths['/orders'].post.security).toBeUndefined();
  });
});
