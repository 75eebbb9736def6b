import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createHttpApp } from './app.js';
import { errorResponseSchema } from './error-response.js';
import { cachingSerializerFactory } from './serialization.js';

describe('response serializers', () => {
  it('builds one serializer per schema object, whatever the route and status', () => {
    const compile = cachingSerializerFactory()(undefined, {});
    const shared = Type.Object({ code: Type.String() });
    const first = compile({ method: 'GET', url: '/a', httpStatus: '404', schema: shared });
    const second = compile({ method: 'POST', url: '/b', httpStatus: '409', schema: shared });
    const other = compile({ method: 'GET', url: '/a', httpStatus: '200', schema: Type.Object({ code: Type.String() }) });
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    expect(first({ code: 'X', secret: 'dropped' })).toBe('{"code":"X"}');
  });

  it('routes sharing the error schema still answer with their own bodies', async () => {
    const app = await createHttpApp({ name: 'serialization-test', logger: silentLogger() });
    const ok = Type.Object({ name: Type.String() });
    app.get('/one', { schema: { response: { 200: ok, 404: errorResponseSchema } } }, async () => ({ name: 'one', extra: 1 }));
    app.get('/two', { schema: { response: { 200: Type.Object({ count: Type.Integer() }), 404: errorResponseSchema } } }, async () => ({
      count: 2,
    }));
    try {
      expect((await app.inject('/one')).body).toBe('{"name":"one"}');
      expect((await app.inject('/two')).body).toBe('{"count":2}');
    } finally {
      await app.close();
    }
  });
});
