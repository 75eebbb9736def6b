import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { sha256Hex } from './canonical.js';
import { presignUrl, signRequest } from './sign.js';
import { CREDENTIALS, NOW, SCOPE, TEMPORARY, verifyOptions, incoming } from './test-support.js';
import { verifySigV4 } from './verify.js';

function signedHeaderList(authorization: string | undefined): string[] {
  return /SignedHeaders=([^,]+)/.exec(authorization ?? '')?.[1]?.split(';') ?? [];
}

async function invalidInput(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isAppError(error) && error.status).toBe(400);
  return isAppError(error) ? error.code : '';
}

describe('signRequest', () => {
  it('returns the full lower-case header set to send', async () => {
    const body = '{"sku":"SALT-1"}';
    const headers = await signRequest(
      { method: 'post', url: 'https://orders.internal:8443/v1/orders', headers: { 'Content-Type': 'application/json' }, body },
      TEMPORARY,
      SCOPE,
      new Date(NOW),
    );
    expect(headers).toEqual({
      'content-type': 'application/json',
      host: 'orders.internal:8443',
      'x-amz-date': '20260115T120000Z',
      'x-amz-content-sha256': sha256Hex(body),
      'x-amz-security-token': TEMPORARY.sessionToken,
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=ASIATEMPORARY\/20260115\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      ),
    });
  });

  it('signs every caller header, including those the SDK skips by default', async () => {
    const headers = await signRequest(
      {
        method: 'GET',
        url: 'https://orders.internal/v1/orders',
        headers: { 'user-agent': 'orders/1.0', 'cache-control': 'no-cache', expect: '100-continue', 'x-tributary-user': 'alice' },
      },
      CREDENTIALS,
      SCOPE,
      new Date(NOW),
    );
    expect(signedHeaderList(headers.authorization)).toEqual([
      'cache-control',
      'expect',
      'host',
      'user-agent',
      'x-amz-content-sha256',
      'x-amz-date',
      'x-tributary-user',
    ]);
  });

  it("replaces the caller's own authorization and date headers", async () => {
    const request = {
      method: 'GET',
      url: 'https://orders.internal/v1/orders',
      headers: { authorization: 'Bearer stale', date: 'Mon, 01 Jan 2001 00:00:00 GMT', 'x-amz-date': '20010101T000000Z' },
    };
    const headers = await signRequest(request, CREDENTIALS, SCOPE, new Date(NOW));
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(headers['x-amz-date']).toBe('20260115T120000Z');
    expect(headers.date).toBeUndefined();
    await expect(verifySigV4(incoming(request, headers), verifyOptions())).resolves.toMatchObject({ principal: 'svc:orders' });
  });

  it('is deterministic for a given time', async () => {
    const request = { method: 'GET', url: 'https://orders.internal/v1/orders?x=1', headers: {} };
    const first = await signRequest(request, CREDENTIALS, SCOPE, new Date(NOW));
    const second = await signRequest(request, CREDENTIALS, SCOPE, new Date(NOW));
    expect(second).toEqual(first);
  });

  it.each([
    ['a hop-by-hop header', { connection: 'keep-alive' }],
    ['a proxy header', { 'proxy-authorization': 'Basic eA==' }],
    ['the same header twice', { Accept: 'a', accept: 'b' }],
    ['an invalid header name', { 'bad header': 'x' }],
  ])('refuses %s', async (_label, headers) => {
    const promise = signRequest({ method: 'GET', url: 'https://orders.internal/', headers }, CREDENTIALS, SCOPE, new Date(NOW));
    expect(await invalidInput(promise)).toBe('AUTH_SIGNING_INPUT_INVALID');
  });

  it('refuses a URL that is not absolute http(s), or whose path has an empty segment', async () => {
    for (const url of ['/v1/orders', 'ftp://orders.internal/', 'https://orders.internal/v1//orders']) {
      expect(await invalidInput(signRequest({ method: 'GET', url, headers: {} }, CREDENTIALS, SCOPE))).toBe('AUTH_SIGNING_INPUT_INVALID');
    }
  });
});

describe('presignUrl', () => {
  it.each([0, -1, 1.5, 604_801])('refuses an expiry of %s seconds', async (expiresInSeconds) => {
    const promise = presignUrl({ method: 'GET', url: 'https://orders.internal/', headers: {} }, CREDENTIALS, SCOPE, { expiresInSeconds });
    expect(await invalidInput(promise)).toBe('AUTH_SIGNING_INPUT_INVALID');
  });

  it('puts the signature and its parameters in the query, keeping the original query', async () => {
    const presigned = await presignUrl(
      { method: 'GET', url: 'https://orders.internal/v1/reports?site=north%20yard', headers: {} },
      TEMPORARY,
      SCOPE,
      { expiresInSeconds: 604_800, now: new Date(NOW) },
    );
    const query = new URL(presigned.url).searchParams;
    expect(query.get('site')).toBe('north yard');
    expect(query.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(query.get('X-Amz-Credential')).toBe('ASIATEMPORARY/20260115/us-east-1/execute-api/aws4_request');
    expect(query.get('X-Amz-Expires')).toBe('604800');
    expect(query.get('X-Amz-Security-Token')).toBe(TEMPORARY.sessionToken);
    expect(query.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});
