import { Type } from '@sinclair/typebox';
import { describe, expect, it, onTestFinished } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { publicAccess, routeAccessList } from './access.js';
import { createHttpApp } from './app.js';
import { routeOptions, routeOptionsFor } from './route-options.js';

describe('routeOptions', () => {
  it('takes one tag or several', () => {
    const open = publicAccess('a probe for this test');
    expect(routeOptions(open, 'one', 'One', {}).schema.tags).toEqual(['one']);
    expect(routeOptions(open, ['a', 'b'], 'Two', {}).schema.tags).toEqual(['a', 'b']);
  });

  it('declares the rule on the route and documents it with the tags and summary', async () => {
    const app = await createHttpApp({ name: 'route-options-test', logger: silentLogger(), requireRouteAccess: true });
    onTestFinished(() => app.close());
    const route = routeOptionsFor(['demo']);
    const open = publicAccess('a probe for this test');
    app.get(
      '/demo/:id',
      route(open, 'Echo the id', { params: Type.Object({ id: Type.Integer() }), response: { 200: Type.Object({ id: Type.Integer() }) } }),
      async (request) => ({ id: request.params.id }),
    );
    await app.ready();
    expect(routeAccessList(app).find((entry) => entry.url === '/demo/:id' && entry.method === 'GET')?.access).toBe(open);
    expect((await app.inject({ method: 'GET', url: '/demo/7' })).json()).toEqual({ id: 7 });
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.paths['/demo/{id}'].get).toMatchObject({ tags: ['demo'], summary: 'Echo the id' });
  });
});
