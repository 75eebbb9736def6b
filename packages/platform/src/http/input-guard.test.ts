import { Type } from '@sinclair/typebox';
import { request as httpRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../auth/index.js';
import { testAuth, testCredentials, TEST_SCOPE } from '../testing/signed.js';
import { checkHeaders, findInvalidString, jsonDepthExceeds } from './input-text.js';
import { buildApp, listen } from './test-support.js';
import type { HttpApp } from './types.js';

/** Routes that count how often a handler ran: a refusal must come before any of them. */
function counted(): { routes: (app: HttpApp) => void; calls: () => number } {
  let calls = 0;
  const routes = (app: HttpApp) => {
    app.get(
      '/items/:code',
      { schema: { params: Type.Object({ code: Type.String() }), querystring: Type.Object({ q: Type.Optional(Type.String()) }) } },
      async (request) => {
        calls++;
        return { code: request.params.code, q: request.query.q ?? null };
      },
    );
    app.get(
      '/page',
      {
        schema: {
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer()),
            ratio: Type.Optional(Type.Number()),
            ids: Type.Optional(Type.Array(Type.Integer())),
          }),
        },
      },
      async (request) => {
        calls++;
        return request.query;
      },
    );
    app.post('/echo', async (request) => {
      calls++;
      return { body: request.body ?? null };
    });
  };
  return { routes, calls: () => calls };
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

describe('input normalisation at the edge', () => {
  it('refuses a NUL or an encoded surrogate in the path or query with 400 INPUT_INVALID_CHARACTER, before any handler', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({}, routes);
    for (const url of [
      '/items/A%00B',
      '/items/A?q=%00',
      '/items/A?q=x%00y',
      '/items/A?q=%ED%A0%80',
      '/items/A?q=%c0%80',
      '/nowhere?x=%00',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ code: 'INPUT_INVALID_CHARACTER' });
    }
    expect(calls()).toBe(0);
    // Ordinary percent-encoded text, including a paired surrogate (an emoji), passes.
    const fine = await app.inject({ method: 'GET', url: '/items/A%20B?q=%F0%9F%8D%B5%20tea' });
    expect(fine.statusCode).toBe(200);
    expect(fine.json()).toEqual({ code: 'A B', q: '🍵 tea' });
  });

  it('refuses a NUL or a lone surrogate in any JSON string or key, at any depth', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({}, routes);
    const bodies = [
      '{"name":"a\\u0000b"}',
      '{"name\\u0000":1}',
      '{"lines":[{"sku":"ok"},{"sku":"\\ud800"}]}',
      '{"a":{"b":{"c":["\\udc00x"]}}}',
      '"\\u0000"',
    ];
    for (const payload of bodies) {
      const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json(), payload).toMatchObject({ code: 'INPUT_INVALID_CHARACTER', details: { part: 'body' } });
    }
    const pointer = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: bodies[2] });
    expect(pointer.json()).toMatchObject({ details: { path: '/lines/1/sku' } });
    expect(calls()).toBe(0);
    const emoji = await app.inject({ method: 'POST', url: '/echo', payload: { name: '\ud83c\udf75' } });
    expect(emoji.statusCode).toBe(200);
  });

  it('refuses JSON numbers that parse to Infinity', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({}, routes);
    for (const payload of ['{"quantity":1e309}', '{"a":[1,-1e400]}']) {
      const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json(), payload).toMatchObject({ code: 'INPUT_INVALID_NUMBER', details: { part: 'body' } });
    }
    expect(calls()).toBe(0);
    const fine = await app.inject({ method: 'POST', url: '/echo', payload: { quantity: 12.5, big: 1e300, small: -1e-300 } });
    expect(fine.statusCode).toBe(200);
  });

  it('refuses a NUL in form and text bodies', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({}, routes);
    const form = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1&b=%00',
    });
    const text = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, payload: 'x\u0000y' });
    expect([form.statusCode, text.statusCode]).toEqual([400, 400]);
    expect(text.json()).toMatchObject({ code: 'INPUT_INVALID_CHARACTER' });
    expect(calls()).toBe(0);
  });

  it('refuses JSON nested deeper than 64 levels without overflowing any stack; 64 levels pass', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({}, routes);
    for (const depth of [65, 5_000, 200_000]) {
      const response = await app.inject({
        method: 'POST',
        url: '/echo',
        headers: { 'content-type': 'application/json' },
        payload: nested(depth),
      });
      expect(response.statusCode, String(depth)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'INPUT_TOO_DEEP', details: { limit: 64 } });
    }
    expect(calls()).toBe(0);
    const ok = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: nested(64) });
    expect(ok.statusCode).toBe(200);
    // Brackets inside strings are text, not nesting.
    expect(jsonDepthExceeds(JSON.stringify({ s: '['.repeat(1000) }))).toBe(false);
  });

  it('refuses query numbers that are not finite, not fully parsed, or not safe integers', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({}, routes);
    const bad = [
      'limit=1e309',
      'limit=Infinity',
      'limit=NaN',
      'limit=',
      'limit=12abc',
      'limit=0x10',
      'limit=%2012%20',
      'limit=9007199254740993',
      'limit=1.5',
      'ratio=1e309',
      'ratio=-Infinity',
      'ratio=NaN',
      'ratio=',
      'ratio=1.5x',
      'ids=1&ids=1e400',
    ];
    for (const query of bad) {
      const response = await app.inject({ method: 'GET', url: `/page?${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toMatchObject({ code: 'REQUEST_VALIDATION_FAILED' });
    }
    expect(calls()).toBe(0);
    const good = await app.inject({ method: 'GET', url: '/page?limit=25&ratio=1e3&ids=1&ids=-2' });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ limit: 25, ratio: 1000, ids: [1, -2] });
  });

  it('answers a signed GET carrying a body with 400 REQUEST_BODY_NOT_ALLOWED, not a 500', async () => {
    const { routes, calls } = counted();
    const app = await buildApp({ auth: testAuth() }, routes);
    const origin = await listen(app);
    const url = `${origin}/items/A`;
    const body = '{"x":1}';
    const headers = await signRequest(
      { method: 'GET', url, headers: { 'content-type': 'application/json' }, body },
      testCredentials(),
      TEST_SCOPE,
    );
    const response = await httpRequest(url, { method: 'GET', headers, body });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toMatchObject({ code: 'REQUEST_BODY_NOT_ALLOWED' });
    expect(calls()).toBe(0);
  });

  it('finds invalid characters in header values and walks bodies without recursion', () => {
    expect(checkHeaders({ 'x-note': 'fine', accept: ['a', 'b\u0000'] })).toMatchObject({
      code: 'INPUT_INVALID_CHARACTER',
      details: { part: 'header', path: 'accept' },
    });
    expect(checkHeaders({ 'x-note': 'fine' })).toBeUndefined();
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInvalidString(deep)).toBe(`${'/0'.repeat(100_000)}`);
  });
});
