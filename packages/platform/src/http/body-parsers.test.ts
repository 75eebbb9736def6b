import { request as httpRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { parseForm } from './body-parsers.js';
import { buildApp, demoRoutes, listen } from './test-support.js';

const b64 = (bytes: string | Buffer) => Buffer.from(bytes).toString('base64');

async function post(origin: string, contentType: string | undefined, body: string | Buffer) {
  const response = await httpRequest(`${origin}/echo`, {
    method: 'POST',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  });
  return { status: response.statusCode, json: (await response.body.json()) as { body: unknown; raw: string | null } };
}

describe('raw body capture over a real socket', () => {
  it('keeps the exact JSON bytes, spacing and escapes included, next to the parsed body', async () => {
    const origin = await listen(await buildApp());
    const sent = '{ "sku" :"CRÈME-1",\n  "note":"\\u00e9t\\u00e9" }';
    const { status, json } = await post(origin, 'application/json; charset=utf-8', sent);
    expect(status).toBe(200);
    expect(json.raw).toBe(b64(sent));
    expect(json.body).toEqual({ sku: 'CRÈME-1', note: 'été' });
  });

  it('keeps the exact bytes of an unknown content type and hands the Buffer to the handler', async () => {
    const origin = await listen(await buildApp());
    const sent = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7b, 0x0a]);
    const { status, json } = await post(origin, 'application/x-tributary-label', sent);
    expect(status).toBe(200);
    expect(json.raw).toBe(b64(sent));
    expect(json.body).toEqual({ buffer: b64(sent) });
  });

  it('captures a body sent without any content type', async () => {
    const origin = await listen(await buildApp());
    const { status, json } = await post(origin, undefined, 'loose bytes');
    expect(status).toBe(200);
    expect(json.raw).toBe(b64('loose bytes'));
  });
});

describe('body parsers', () => {
  it('parses text, forms, octet streams and +json types, keeping raw bytes for each', async () => {
    const app = await buildApp();
    const cases = [
      { type: 'text/plain; charset=utf-8', payload: 'batch 7 ✓', body: 'batch 7 ✓' },
      { type: 'application/x-www-form-urlencoded', payload: 'lot=a&lot=b&note=50%25+off', body: { lot: ['a', 'b'], note: '50% off' } },
      { type: 'application/octet-stream', payload: 'bin', body: { buffer: b64('bin') } },
      { type: 'application/merge-patch+json', payload: '{"quantity":3}', body: { quantity: 3 } },
    ];
    for (const { type, payload, body } of cases) {
      const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': type }, payload });
      expect(response.statusCode, type).toBe(200);
      expect(response.json(), type).toEqual({ body, raw: b64(payload) });
    }
  });

  it('treats an empty JSON body as no body, which only a route with a body schema refuses', async () => {
    const app = await buildApp();
    const headers = { 'content-type': 'application/json' };
    const schemaless = await app.inject({ method: 'PUT', url: '/anything', headers, payload: '' });
    const withSchema = await app.inject({ method: 'POST', url: '/orders', headers, payload: '' });
    expect(schemaless.statusCode).toBe(200);
    expect(schemaless.json()).toEqual({ body: null, raw: '' });
    expect(withSchema.statusCode).toBe(400);
    expect(withSchema.json()).toMatchObject({ code: 'REQUEST_VALIDATION_FAILED', details: { errors: [{ path: '/body' }] } });
  });

  it('refuses a body that is literally null, even where the route takes no body', async () => {
    const app = await buildApp();
    const response = await app.inject({
      method: 'PUT',
      url: '/anything',
      headers: { 'content-type': 'application/json' },
      payload: 'null',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'REQUEST_BODY_NULL' });
  });

  it('refuses JSON that tries to set a prototype', async () => {
    const app = await buildApp();
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"__proto__":{"isAdmin":true}}',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('REQUEST_BODY_INVALID_JSON');
  });

  it('buffers multipart/form-data, keeping the raw bytes and parsing fields', async () => {
    const app = await buildApp({}, demoRoutes);
    const payload = '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n';
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ body: { fields: { a: '1' }, files: [] }, raw: Buffer.from(payload).toString('base64') });
  });

  it('keeps "__proto__" as a plain form field', () => {
    const form = parseForm('__proto__=x&a=1');
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
    expect(Object.keys(form)).toEqual(['__proto__', 'a']);
  });
});
