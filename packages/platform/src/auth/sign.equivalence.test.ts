import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signRequestNow, type RequestToSign, type SigningCredentials } from './sign.js';
import { CREDENTIALS, SCOPE, TEMPORARY } from './test-support.js';

/**
 * signRequestNow replaced @smithy/signature-v4 on the header path; the SDK stays the reference.
 * The same request, credentials and time must give exactly the same headers, signature included.
 */
async function sdkSigned(request: RequestToSign, credentials: SigningCredentials, now: Date): Promise<Record<string, string>> {
  const url = new URL(request.url);
  const query = new Map<string, string | string[]>();
  for (const [key, value] of url.searchParams) {
    const existing = query.get(key);
    query.set(key, existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]);
  }
  const headers = {
    ...Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    host: url.host,
  };
  const signer = new SignatureV4({ credentials, ...SCOPE, sha256: Sha256, uriEscapePath: true, applyChecksum: true });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(query),
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    }),
    { signingDate: now, signableHeaders: new Set(Object.keys(headers)) },
  );
  return { ...signed.headers };
}

const text = (maxLength: number) => fc.oneof(fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary-ascii', maxLength }));
const notAmz = (name: string) => !name.startsWith('x-amz-');

const requestArb = fc
  .record({
    method: fc.constantFrom('GET', 'post', 'PUT', 'DELETE'),
    segments: fc.array(text(8), { maxLength: 4 }),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('lot', 'a', 'A', 'X-Amz-Signature', ''), text(6)), text(8)), { maxLength: 5 }),
    // Values with runs of spaces and tabs, and at the ends, which both must fold alike.
    headers: fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/).filter(notAmz), fc.stringMatching(/^[\x20-\x7e\t]{0,40}$/), {
      maxKeys: 4,
    }),
    body: fc.option(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 64 })), { nil: undefined }),
    temporary: fc.boolean(),
    at: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }),
  })
  .map(({ method, segments, query, headers, body, temporary, at }) => {
    const url = new URL('https://orders.internal:8443');
    url.pathname = `/${segments.join('/')}`;
    url.pathname = url.pathname.replace(/\/{2,}/g, '/');
    for (const [key, value] of query) url.searchParams.append(key, value);
    const request: RequestToSign = { method, url: url.href, headers, ...(body === undefined ? {} : { body }) };
    return { request, credentials: temporary ? TEMPORARY : CREDENTIALS, now: new Date(at) };
  });

describe('signRequestNow', () => {
  it('gives exactly the headers @smithy/signature-v4 gives for the same request', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async ({ request, credentials, now }) => {
        expect(signRequestNow(request, credentials, SCOPE, now)).toEqual(await sdkSigned(request, credentials, now));
      }),
      { numRuns: 300 },
    );
  });

  it('signs a dated request the same at any millisecond of its second', () => {
    const request = { method: 'GET', url: 'https://orders.internal/v1/order?b=2&a=1', headers: { 'x-tributary-user': 'alice' } };
    const early = signRequestNow(request, CREDENTIALS, SCOPE, new Date(Date.UTC(2026, 0, 15, 12, 0, 0, 1)));
    const late = signRequestNow(request, CREDENTIALS, SCOPE, new Date(Date.UTC(2026, 0, 15, 12, 0, 0, 999)));
    expect(early).toEqual(late);
    expect(early['x-amz-date']).toBe('20260115T120000Z');
  });
});
