import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { createHttpApp, declareAccess, routeAccessList, type HttpApp } from '@tributary/platform/http';
import { openApiErrors, testAuth, testDatabases } from '@tributary/platform/testing';
import { edgeSecurity, routedPathOf, routeSecurity, toOpenApiPath } from '../src/features/docs/merged-document.js';
import { seed } from '../src/seed.js';
import { gatewayBed, type TestGateway } from './support.js';

/** A real signed service with one declared route and one that any signed caller may reach. */
async function startDocumentedService(signedFetches: string[]): Promise<{ app: HttpApp; url: string }> {
  const app = await createHttpApp({ name: 'peer', logger: silentLogger(), auth: testAuth() });
  app.addHook('onRequest', async (request) => {
    if (request.url === '/openapi.json' && typeof request.headers.authorization === 'string')
      signedFetches.push(request.headers.authorization);
  });
  app.get('/plans', { preValidation: declareAccess(async () => undefined, ['GRANDPASS-ADMIN']) }, async () => []);
  app.get('/orders/:id', async () => ({}));
  app.post('/internal/events', async () => ({}));
  return { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
}

const ALL_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: the gateway's merged OpenAPI document`, () => {
    const bed = gatewayBed(target);
    let gateway: TestGateway;
    const signedFetches: string[] = [];

    beforeAll(async () => {
      const peer = bed.closing(await startDocumentedService(signedFetches), (started) => started.app.close());
      gateway = await bed.gateway({ peers: { orders: peer.url, processing: peer.url, erp: peer.url, sync: peer.url } });
      await seed(gateway.context);
      await gateway.deps.routeLoader.reload();
    });

    it('lists every routed path with its security requirement, under the gateway’s servers and schemes', async () => {
      const response = await gateway.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { host: 'api.example.test' } });
      expect(response.statusCode).toBe(200);
      const doc = response.json();
      expect(doc.servers).toEqual([{ url: 'http://api.example.test', description: 'The gateway' }]);
      expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });

      const routes = gateway.deps.routes.routes();
      expect(routes.length).toBeGreaterThan(10);
      // One rule spelled out: the original's plan upload is for GRANDPASS-ADMIN (and the super role).
      expect(doc.paths['/order/plan'].post.security).toEqual([
        { bearerAuth: ['GRANDPASS-ADMIN', 'administrator'] },
        { apiKey: ['GRANDPASS-ADMIN', 'administrator'] },
      ]);
      // The route that wins a path+method is the one the gateway matches first (priority), as in the merge.
      const claimed = new Set<string>();
      for (const route of [...routes].sort((a, b) => b.priority - a.priority)) {
        const { path, wildcard } = routedPathOf(route);
        const expected = routeSecurity(route);
        if (wildcard) {
          // The upstream's own paths appear under the versioned prefix, each with the route's requirement.
          const prefix = toOpenApiPath(route.pathPattern.slice(0, -2));
          // A catch-all under a path the service's document does not describe is listed as the catch-all.
          const servicePaths = route.upstreamPath === '/*' ? ['/plans', '/orders/{id}'] : [path.slice(prefix.length)];
          for (const servicePath of servicePaths) {
            const method = route.method === 'ANY' ? 'get' : route.method.toLowerCase();
            const operation = doc.paths[`${prefix}${servicePath}`]?.[method];
            expect(operation, `${route.routeName}: ${prefix}${servicePath}`).toBeDefined();
            if (claimed.has(`${method.toUpperCase()} ${prefix}${servicePath}`)) continue;
            claimed.add(`${method.toUpperCase()} ${prefix}${servicePath}`);
            expect(operation.security, route.routeName).toEqual(expected);
          }
          continue;
        }
        const methods = route.method === 'ANY' ? ALL_METHODS : [route.method.toLowerCase()];
        const documented = methods.filter((method) => doc.paths[path]?.[method] !== undefined);
        expect(documented.length, `${route.routeName} (${route.method} ${path})`).toBeGreaterThan(0);
        for (const method of documented) {
          const key = `${method.toUpperCase()} ${path}`;
          if (claimed.has(key)) continue;
          claimed.add(key);
          expect(doc.paths[path][method].security, `${route.routeName}`).toEqual(expected);
        }
      }
    });

    it('takes each operation from the service’s own document, fetched signed', async () => {
      const doc = (await gateway.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const order = doc.paths['/api/v1/orders/orders/{id}'].get;
      expect(order.parameters).toContainEqual(expect.objectContaining({ in: 'path', name: 'id', required: true }));
      // The edge refuses to forward internal paths, so the document does not offer them.
      expect(Object.keys(doc.paths).filter((path) => path.includes('/internal/'))).toEqual([]);
      expect(signedFetches.length).toBeGreaterThan(0);
      for (const authorization of signedFetches) expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
    });

    it('documents the gateway’s own routes: sign-in is public, the admin API needs an administrator', async () => {
      const doc = (await gateway.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
      expect(doc.paths['/api/v1/auth/profile'].get.security).toEqual(edgeSecurity(null));
      expect(doc.paths['/api/v1/admin/users'].get.security).toEqual(edgeSecurity(['administrator', 'MASTER-ADMIN']));
      expect(Object.keys(doc.paths)).not.toContain('/*');
    });

    it('takes each of the gateway’s own requirements from the access its route declares, not from its path', async () => {
      const doc = (await gateway.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      // Under /api/v1/admin/ yet for the top role only: routes, and personal data export.
      expect(doc.paths['/api/v1/admin/routes'].post.security).toEqual(edgeSecurity(['administrator']));
      expect(doc.paths['/api/v1/admin/privacy/subjects/{subject}/export'].get.security).toEqual(edgeSecurity(['administrator']));
      // The browser session's sign-in is open whatever its path says.
      expect(doc.paths['/api/v1/auth/session'].post.security).toEqual([]);
      const checked: string[] = [];
      for (const route of routeAccessList(gateway.app)) {
        const operation = doc.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
        if (!operation || route.access === undefined) continue;
        checked.push(`${route.method} ${route.url}`);
        const expected =
          route.access.kind === 'public' || route.access.kind === 'own-credential'
            ? []
            : edgeSecurity(route.access.kind === 'guard' && route.access.roles.length > 0 ? route.access.roles : null);
        expect(operation.security, `${route.method} ${route.url}`).toEqual(expected);
      }
      expect(checked.length).toBeGreaterThan(20);
    });

    it('is a valid OpenAPI document', async () => {
      const doc = (await gateway.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      expect(await openApiErrors(doc)).toEqual([]);
    });

    it('serves Swagger UI on the merged document', async () => {
      const page = await gateway.app.inject({ method: 'GET', url: '/api/docs' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('/api/docs/init.js');
      const init = await gateway.app.inject({ method: 'GET', url: '/api/docs/init.js' });
      expect(init.body).toContain('/api/v1/openapi.json');
      expect((await gateway.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' })).statusCode).toBe(200);
    });
  });
}
