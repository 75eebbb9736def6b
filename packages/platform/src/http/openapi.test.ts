import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { buildApp, demoRoutes } from './test-support.js';
import type { HttpApp } from './types.js';

function routes(app: HttpApp): void {
  demoRoutes(app);
  app.post('/internal/reservations', { schema: { body: Type.Object({ lot: Type.String() }) } }, async () => ({ ok: true }));
}

describe('OpenAPI', () => {
  it('serves a 3.1 document describing the routes with their schemas', async () => {
    const app = await buildApp(
      {
        openapi: {
          description: 'Orders API',
          servers: ['https://orders.example'],
          tags: [{ name: 'orders', description: 'Customer orders' }],
        },
      },
      routes,
    );
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'test-service', version: '1.2.3', description: 'Orders API' });
    expect(doc.servers).toEqual([{ url: 'https://orders.example' }]);
    expect(doc.tags).toEqual([{ name: 'orders', description: 'Customer orders' }]);

    const getOrder = doc.paths['/orders/{id}'].get;
    expect(getOrder.tags).toEqual(['orders']);
    expect(getOrder.parameters).toContainEqual(
      expect.objectContaining({ in: 'path', name: 'id', required: true, schema: expect.objectContaining({ pattern: '^ord_[a-z0-9]+$' }) }),
    );
    expect(getOrder.responses['200'].content['application/json'].schema.properties).toHaveProperty('quantity', { type: 'integer' });
    expect(getOrder.responses['404'].content['application/json'].schema.required).toEqual(['code', 'message', 'requestId']);
    expect(doc.paths['/orders'].post.requestBody.content['application/json'].schema.required).toEqual(['sku', 'quantity']);
  });

  it('tags internal routes and hides probes, metrics and the docs themselves', async () => {
    const app = await buildApp({}, routes);
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/internal/reservations'].post.tags).toEqual(['internal']);
    const paths = Object.keys(doc.paths);
    for (const hidden of ['/health/live', '/health/ready', '/metrics', '/openapi.json']) expect(paths).not.toContain(hidden);
    expect(paths.some((path) => path.startsWith('/docs'))).toBe(false);
  });

  it('serves the docs page', async () => {
    const app = await buildApp();
    const response = await app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('swagger-ui');
  });
});
