import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildApp } from './test-support.js';

describe('createHttpApp', () => {
  it('infers request and reply types from TypeBox schemas', async () => {
    const app = await buildApp({}, (instance) => {
      const Query = Type.Object({ limit: Type.Integer({ minimum: 1 }), cursor: Type.Optional(Type.String()) });
      instance.get(
        '/typed',
        { schema: { querystring: Query, response: { 200: Type.Object({ doubled: Type.Integer() }) } } },
        async (request) => {
          expectTypeOf(request.query).toEqualTypeOf<{ limit: number; cursor?: string }>();
          return { doubled: request.query.limit * 2 };
        },
      );
      // @ts-expect-error the handler must return the declared 200 shape
      instance.get('/wrong', { schema: { response: { 200: Type.Object({ n: Type.Integer() }) } } }, async () => ({ n: 'two' }));
    });
    const response = await app.inject({ method: 'GET', url: '/typed?limit=21' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ doubled: 42 });
  });

  it('gives each app its own metrics registry', async () => {
    const first = await buildApp();
    const second = await buildApp();
    expectTypeOf(first.metrics).toEqualTypeOf<Registry>();
    expect(first.metrics).toBeInstanceOf(Registry);
    expect(first.metrics).not.toBe(second.metrics);
  });
});
