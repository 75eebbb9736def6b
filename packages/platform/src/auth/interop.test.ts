import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { describe, expect, it } from 'vitest';
import { AuthErrorCode } from './codes.js';
import { identityHeaders } from './identity.js';
import { presignUrl, signRequest } from './sign.js';
import { CREDENTIALS, expectRefused, NOW, SCOPE, signedIncoming, TEMPORARY, verifyOptions } from './test-support.js';
import { verifySigV4, type IncomingRequest } from './verify.js';

/**
 * Signatures made by signers we did not write. aws4 is an independent implementation, so a
 * request it signs verifying here is evidence that our canonical request follows the spec
 * and not merely our own reading of it.
 */

const AMZ_NOW = '20260115T120000Z';

function lowerCase(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
}

function fromAws4(signed: aws4.Request): IncomingRequest {
  const target = signed.path ?? '/';
  const mark = target.indexOf('?');
  return {
    method: signed.method ?? 'GET',
    path: mark === -1 ? target : target.slice(0, mark),
    rawQuery: mark === -1 ? '' : target.slice(mark + 1),
    headers: lowerCase(signed.headers ?? {}),
    ...(signed.body === undefined ? {} : { body: signed.body }),
  };
}

function fromPresignedUrl(url: string, headers: Record<string, string>, body?: string): IncomingRequest {
  const parsed = new URL(url);
  return { method: 'GET', path: parsed.pathname, rawQuery: parsed.search.slice(1), headers, ...(body ? { body } : {}) };
}

function aws4Sign(request: aws4.Request, credentials = CREDENTIALS) {
  return aws4.sign({ service: SCOPE.service, region: SCOPE.region, host: 'orders.internal', ...request }, credentials);
}

describe('requests signed by aws4 verify', () => {
  it('header form: a GET with a query and identity headers', async () => {
    const signed = aws4Sign({
      method: 'GET',
      path: '/v1/orders?status=open&limit=20',
      headers: { 'X-Amz-Date': AMZ_NOW, ...identityHeaders({ user: 'alice', roles: ['planner'] }) },
    });
    const caller = await verifySigV4(fromAws4(signed), verifyOptions());
    expect(caller.principal).toBe('svc:orders');
    expect(caller.signedHeaders).toEqual(['host', 'x-amz-date', 'x-tributary-roles', 'x-tributary-user']);
  });

  it('header form: a POST with a JSON body and temporary credentials', async () => {
    const signed = aws4Sign(
      {
        method: 'POST',
        path: '/v1/orders',
        headers: { 'X-Amz-Date': AMZ_NOW, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sku: 'YEAST-1', quantity: 3 }),
      },
      TEMPORARY,
    );
    await expect(verifySigV4(fromAws4(signed), verifyOptions())).resolves.toMatchObject({ principal: 'svc:sync' });
  });

  it('header form: a body changed after signing fails even with no declared hash', async () => {
    const signed = aws4Sign({
      method: 'POST',
      path: '/v1/orders',
      headers: { 'X-Amz-Date': AMZ_NOW, 'Content-Type': 'application/json' },
      body: '{"quantity":3}',
    });
    const request = { ...fromAws4(signed), body: '{"quantity":9}' };
    expect(request.headers['x-amz-content-sha256']).toBeUndefined();
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.SignatureMismatch);
  });

  it('header form: UNSIGNED-PAYLOAD is refused, since the body would be unprotected', async () => {
    const signed = aws4Sign({
      method: 'POST',
      path: '/v1/orders',
      headers: { 'X-Amz-Date': AMZ_NOW, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      body: '{"quantity":3}',
    });
    await expectRefused(verifySigV4(fromAws4(signed), verifyOptions()), AuthErrorCode.PayloadHashMismatch);
  });

  it('presigned form via signQuery', async () => {
    const signed = aws4Sign({
      method: 'GET',
      path: `/v1/reports/daily?site=north&X-Amz-Date=${AMZ_NOW}&X-Amz-Expires=600`,
      signQuery: true,
    });
    const request = fromAws4(signed);
    expect(request.rawQuery).toContain('X-Amz-Signature=');
    expect(request.headers.authorization).toBeUndefined();
    await expect(verifySigV4(request, verifyOptions())).resolves.toMatchObject({ principal: 'svc:orders' });
    const later = NOW + 601_000;
    await expectRefused(verifySigV4(request, verifyOptions({ now: () => later })), AuthErrorCode.RequestExpired);
  });

  it('presigned form with a session token', async () => {
    const signed = aws4Sign(
      { method: 'GET', path: `/v1/reports/daily?X-Amz-Date=${AMZ_NOW}&X-Amz-Expires=60`, signQuery: true },
      TEMPORARY,
    );
    const request = fromAws4(signed);
    expect(request.rawQuery).toContain('X-Amz-Security-Token=');
    await expect(verifySigV4(request, verifyOptions())).resolves.toMatchObject({ principal: 'svc:sync' });
  });

  it('a path needing encoding (spaces, ":", unicode) and a query with repeated keys', async () => {
    const signed = aws4Sign({
      method: 'GET',
      path: '/v1/lots/batch 7:a/crème brûlée/日本?lot=b&lot=a&lot=a%20b&note=x%2By&empty=',
      headers: { 'X-Amz-Date': AMZ_NOW },
    });
    const request = fromAws4(signed);
    expect(request.path).toContain('%20');
    await expect(verifySigV4(request, verifyOptions())).resolves.toMatchObject({ principal: 'svc:orders' });
  });
});

describe('presigned URLs made with @smithy/signature-v4', () => {
  it('the SDK presign verifies directly', async () => {
    const signer = new SignatureV4({ credentials: CREDENTIALS, ...SCOPE, sha256: Sha256 });
    const presigned = await signer.presign(
      new HttpRequest({
        method: 'GET',
        hostname: 'orders.internal',
        path: '/v1/reports/daily',
        query: { site: 'north', tag: ['b', 'a'] },
        headers: { host: 'orders.internal' },
      }),
      { signingDate: new Date(NOW), expiresIn: 900 },
    );
    const rawQuery = new URLSearchParams(
      Object.entries(presigned.query ?? {}).flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map((item) => [key, String(item)] as [string, string]),
      ),
    ).toString();
    const request: IncomingRequest = { method: 'GET', path: presigned.path, rawQuery, headers: lowerCase(presigned.headers) };
    await expect(verifySigV4(request, verifyOptions())).resolves.toMatchObject({ principal: 'svc:orders' });
    await expectRefused(verifySigV4(request, verifyOptions({ now: () => NOW + 901_000 })), AuthErrorCode.RequestExpired);
  });

  it('presignUrl verifies until it expires, with identity headers signed alongside', async () => {
    const presigned = await presignUrl(
      {
        method: 'GET',
        url: 'https://orders.internal/v1/reports/daily?site=north',
        headers: identityHeaders({ user: 'bob', roles: ['auditor'] }),
      },
      CREDENTIALS,
      SCOPE,
      { expiresInSeconds: 300, now: new Date(NOW) },
    );
    expect(presigned.expiresAt.getTime()).toBe(NOW + 300_000);
    expect(presigned.headers).toMatchObject({ host: 'orders.internal', 'x-tributary-user': 'bob' });
    const request = fromPresignedUrl(presigned.url, presigned.headers);

    const caller = await verifySigV4(request, verifyOptions({ now: () => NOW + 299_000 }));
    expect(caller.signedHeaders).toEqual(['host', 'x-tributary-roles', 'x-tributary-user']);
    await expectRefused(verifySigV4(request, verifyOptions({ now: () => NOW + 301_000 })), AuthErrorCode.RequestExpired);
  });

  it('a presigned URL signed too far in the future is refused', async () => {
    const presigned = await presignUrl({ method: 'GET', url: 'https://orders.internal/v1/reports', headers: {} }, CREDENTIALS, SCOPE, {
      expiresInSeconds: 3600,
      now: new Date(NOW + 10 * 60 * 1000),
    });
    await expectRefused(verifySigV4(fromPresignedUrl(presigned.url, presigned.headers), verifyOptions()), AuthErrorCode.RequestExpired);
  });

  it('a presigned URL whose expiry was stretched is refused', async () => {
    const presigned = await presignUrl({ method: 'GET', url: 'https://orders.internal/v1/reports', headers: {} }, CREDENTIALS, SCOPE, {
      expiresInSeconds: 60,
      now: new Date(NOW),
    });
    const stretched = presigned.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=3600');
    await expectRefused(verifySigV4(fromPresignedUrl(stretched, presigned.headers), verifyOptions()), AuthErrorCode.SignatureMismatch);
    const tooLong = presigned.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801');
    await expectRefused(verifySigV4(fromPresignedUrl(tooLong, presigned.headers), verifyOptions()), AuthErrorCode.SignatureMalformed);
  });

  it('UNSIGNED-PAYLOAD is allowed on presigned URLs; a signed body hash is still enforced', async () => {
    const request = { method: 'GET', url: 'https://orders.internal/v1/uploads', headers: {} };
    const open = await presignUrl(request, CREDENTIALS, SCOPE, { expiresInSeconds: 60, now: new Date(NOW), unsignedPayload: true });
    await expect(verifySigV4(fromPresignedUrl(open.url, open.headers, 'any body'), verifyOptions())).resolves.toMatchObject({
      principal: 'svc:orders',
    });
    const pinned = await presignUrl({ ...request, body: 'exact body' }, CREDENTIALS, SCOPE, { expiresInSeconds: 60, now: new Date(NOW) });
    await expect(verifySigV4(fromPresignedUrl(pinned.url, pinned.headers, 'exact body'), verifyOptions())).resolves.toBeDefined();
    await expectRefused(
      verifySigV4(fromPresignedUrl(pinned.url, pinned.headers, 'other body'), verifyOptions()),
      AuthErrorCode.SignatureMismatch,
    );
  });
});

describe('encoding', () => {
  it('signRequest: a path with spaces, ":", unicode and encoded slashes, and repeated query keys', async () => {
    const request = {
      method: 'GET',
      url: 'https://orders.internal/v1/lots/batch 7:a/crème%2Fbrûlée/日本/?lot=b&lot=a&lot=a+b&q=50%25&empty',
      headers: {},
    };
    const signed = await signedIncoming(request);
    expect(signed.path).toBe('/v1/lots/batch%207:a/cr%C3%A8me%2Fbr%C3%BBl%C3%A9e/%E6%97%A5%E6%9C%AC/');
    await expect(verifySigV4(signed, verifyOptions())).resolves.toMatchObject({ principal: 'svc:orders' });
    await expectRefused(
      verifySigV4({ ...signed, rawQuery: 'lot=b&lot=a&q=50%25&empty' }, verifyOptions()),
      AuthErrorCode.SignatureMismatch,
    );
  });

  it('signRequest and aws4 agree on the signature for the same request', async () => {
    const path = '/v1/lots/a%20b:c/%C3%A9?z=1&a=2&a=1';
    const ours = await signRequest(
      { method: 'GET', url: `https://orders.internal${path}`, headers: {} },
      CREDENTIALS,
      SCOPE,
      new Date(NOW),
    );
    const theirs = aws4Sign({
      method: 'GET',
      path,
      headers: { 'X-Amz-Date': AMZ_NOW, 'X-Amz-Content-Sha256': ours['x-amz-content-sha256']! },
    });
    expect(String(theirs.headers?.Authorization)).toBe(ours.authorization);
  });
});
