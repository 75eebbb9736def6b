import { describe, expect, it } from 'vitest';
import { sha256Hex } from './canonical.js';
import { AuthErrorCode } from './codes.js';
import { identityHeaders } from './identity.js';
import { signRequest, type RequestToSign } from './sign.js';
import { CREDENTIALS, expectRefused, incoming, NOW, RECORDS, SCOPE, signedIncoming, TEMPORARY, verifyOptions } from './test-support.js';
import { verifySigV4, type IncomingRequest } from './verify.js';

const GET: RequestToSign = {
  method: 'GET',
  url: 'https://orders.internal:8443/v1/orders?status=open&limit=20&lot=L-1',
  headers: { accept: 'application/json', 'x-request-id': 'req-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
};

const POST: RequestToSign = {
  method: 'POST',
  url: 'https://orders.internal/v1/orders',
  headers: {
    'content-type': 'application/json',
    'idempotency-key': 'idem-42',
    'x-request-id': 'req-2',
    ...identityHeaders({ user: 'alice', roles: ['planner', 'qa'], apiKeyId: 'key_9' }),
  },
  body: JSON.stringify({ sku: 'FLOUR-25', quantity: 40 }),
};

function withHeaders(request: IncomingRequest, change: (headers: Record<string, string | string[] | undefined>) => void) {
  const headers = { ...request.headers };
  change(headers);
  return { ...request, headers };
}

function setAuthorization(request: IncomingRequest, edit: (value: string) => string): IncomingRequest {
  return withHeaders(request, (h) => {
    h.authorization = edit(String(h.authorization));
  });
}

describe('verifySigV4 accepts what signRequest signs', () => {
  it('a GET with a query', async () => {
    const caller = await verifySigV4(await signedIncoming(GET), verifyOptions());
    expect(caller).toEqual({
      principal: 'svc:orders',
      accessKeyId: CREDENTIALS.accessKeyId,
      signedHeaders: ['accept', 'host', 'traceparent', 'x-amz-content-sha256', 'x-amz-date', 'x-request-id'],
    });
  });

  it('a POST with a JSON body and identity headers, every caller header signed', async () => {
    const caller = await verifySigV4(await signedIncoming(POST), verifyOptions());
    expect(caller.principal).toBe('svc:orders');
    for (const name of Object.keys(POST.headers)) expect(caller.signedHeaders).toContain(name);
  });

  it('temporary credentials carrying their session token', async () => {
    const caller = await verifySigV4(await signedIncoming(POST, TEMPORARY), verifyOptions());
    expect(caller.principal).toBe('svc:sync');
    expect(caller.signedHeaders).toContain('x-amz-security-token');
  });

  it('a clock within the skew window either way', async () => {
    const fourMinutes = 4 * 60 * 1000;
    const behind = await signedIncoming(GET, CREDENTIALS, new Date(NOW - fourMinutes));
    const ahead = await signedIncoming(GET, CREDENTIALS, new Date(NOW + fourMinutes));
    await expect(verifySigV4(behind, verifyOptions())).resolves.toMatchObject({ principal: 'svc:orders' });
    await expect(verifySigV4(ahead, verifyOptions())).resolves.toMatchObject({ principal: 'svc:orders' });
  });

  it('header values that differ only in folded whitespace', async () => {
    const request = await signedIncoming({ ...GET, headers: { 'x-note': '  two   spaces\tand a tab ' } });
    const relayed = withHeaders(request, (h) => {
      h['x-note'] = 'two spaces and a tab';
    });
    await expect(verifySigV4(relayed, verifyOptions())).resolves.toMatchObject({ principal: 'svc:orders' });
  });
});

describe('verifySigV4 refuses tampering with a 401 and a stable code', () => {
  it('a changed body', async () => {
    const request = await signedIncoming(POST);
    const tampered = { ...request, body: JSON.stringify({ sku: 'FLOUR-25', quantity: 400 }) };
    await expectRefused(verifySigV4(tampered, verifyOptions()), AuthErrorCode.PayloadHashMismatch);
  });

  it('a changed body whose declared hash was changed to match', async () => {
    const body = JSON.stringify({ sku: 'FLOUR-25', quantity: 400 });
    const request = await signedIncoming(POST);
    const tampered = withHeaders({ ...request, body }, (h) => {
      h['x-amz-content-sha256'] = sha256Hex(body);
    });
    await expectRefused(verifySigV4(tampered, verifyOptions()), AuthErrorCode.SignatureMismatch);
  });

  it.each(['/v1//orders', '/v1/x/../orders', '/v1/./orders'])(
    'a path the signature cannot bind (%s), even though the SDK would sign it as /v1/orders',
    async (path) => {
      const request = await signedIncoming({ ...GET, url: 'https://orders.internal/v1/orders' });
      await expectRefused(verifySigV4({ ...request, path }, verifyOptions()), AuthErrorCode.SignatureMalformed);
    },
  );

  it('a changed path', async () => {
    const request = await signedIncoming(GET);
    await expectRefused(verifySigV4({ ...request, path: '/v1/orders/7' }, verifyOptions()), AuthErrorCode.SignatureMismatch);
  });

  it.each([
    ['a changed value', 'status=closed&limit=20&lot=L-1'],
    ['an added parameter', 'status=open&limit=20&lot=L-1&admin=true'],
    ['a removed parameter', 'status=open&limit=20'],
    ['a repeated parameter', 'status=open&limit=20&lot=L-1&lot=L-2'],
  ])('a changed query: %s', async (_label, rawQuery) => {
    const request = await signedIncoming(GET);
    await expectRefused(verifySigV4({ ...request, rawQuery }, verifyOptions()), AuthErrorCode.SignatureMismatch);
  });

  it('a changed signed header value', async () => {
    const request = withHeaders(await signedIncoming(POST), (h) => {
      h['idempotency-key'] = 'idem-43';
    });
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.SignatureMismatch);
  });

  it('an extra value appended to a signed header', async () => {
    const request = withHeaders(await signedIncoming(POST), (h) => {
      h['x-tributary-roles'] = [String(h['x-tributary-roles']), 'admin'];
    });
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.SignatureMismatch);
  });

  it('a changed identity header', async () => {
    const request = withHeaders(await signedIncoming(POST), (h) => {
      h['x-tributary-roles'] = 'planner,qa,admin';
    });
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.SignatureMismatch);
  });

  it('an identity header added after signing', async () => {
    const request = withHeaders(await signedIncoming(GET), (h) => {
      h['x-tributary-user'] = 'mallory';
    });
    const error = await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.HeaderNotSigned);
    expect(error.details).toEqual({ header: 'x-tributary-user' });
  });

  it('a signed header that is missing from the request', async () => {
    const request = withHeaders(await signedIncoming(GET), (h) => {
      delete h['x-request-id'];
    });
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.SignatureMalformed);
  });

  it('a required header left out of the signature', async () => {
    const options = verifyOptions({ requiredSignedHeaders: ['host', 'x-request-id'] });
    const request = await signedIncoming({ ...GET, headers: {} });
    await expectRefused(verifySigV4(request, options), AuthErrorCode.HeaderNotSigned);
  });

  it.each([
    ['past', -6],
    ['future', 6],
  ])('a date beyond the skew window (%s)', async (_label, minutes) => {
    const request = await signedIncoming(GET, CREDENTIALS, new Date(NOW + minutes * 60 * 1000));
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.RequestExpired);
  });

  it('a narrower skew window when configured', async () => {
    const request = await signedIncoming(GET, CREDENTIALS, new Date(NOW - 2 * 60 * 1000));
    await expectRefused(verifySigV4(request, verifyOptions({ clockSkewMs: 60_000 })), AuthErrorCode.RequestExpired);
  });

  it('a wrong secret, without leaking the secret or the expected signature', async () => {
    const wrong = { ...CREDENTIALS, secretAccessKey: 'not-the-secret' };
    const genuine = await signRequest(GET, CREDENTIALS, SCOPE, new Date(NOW));
    const expectedSignature = /Signature=([0-9a-f]{64})/.exec(genuine.authorization ?? '')?.[1];
    expect(expectedSignature).toMatch(/^[0-9a-f]{64}$/);

    const error = await expectRefused(verifySigV4(await signedIncoming(GET, wrong), verifyOptions()), AuthErrorCode.SignatureMismatch);
    const exposed = `${error.message} ${JSON.stringify(error.details ?? {})}`;
    expect(exposed).not.toContain(CREDENTIALS.secretAccessKey);
    expect(exposed).not.toContain(expectedSignature);
  });

  it('an unknown access key', async () => {
    const stranger = { accessKeyId: 'AKIDSTRANGER', secretAccessKey: 'whatever' };
    await expectRefused(verifySigV4(await signedIncoming(GET, stranger), verifyOptions()), AuthErrorCode.UnknownAccessKey);
  });

  it('an unknown access key from an async store', async () => {
    const options = verifyOptions({ lookup: async () => undefined });
    await expectRefused(verifySigV4(await signedIncoming(GET), options), AuthErrorCode.UnknownAccessKey);
  });

  it.each([
    ['region', { region: 'eu-west-1', service: 'execute-api' }],
    ['service', { region: 'us-east-1', service: 's3' }],
  ])('a scope naming another %s', async (_label, scope) => {
    const headers = await signRequest(GET, CREDENTIALS, scope, new Date(NOW));
    await expectRefused(verifySigV4(incoming(GET, headers), verifyOptions()), AuthErrorCode.ScopeMismatch);
  });

  it('a scope date that is not the day of x-amz-date', async () => {
    const request = setAuthorization(await signedIncoming(GET), (value) => value.replace('/20260115/', '/20260114/'));
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.ScopeMismatch);
  });

  it('a missing Authorization header', async () => {
    const request = withHeaders(await signedIncoming(GET), (h) => {
      delete h.authorization;
    });
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.SignatureMissing);
  });

  it.each([
    ['another algorithm', (v: string) => v.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512')],
    ['a bearer token', () => 'Bearer abc.def.ghi'],
    ['no Signature', (v: string) => v.replace(/, Signature=[0-9a-f]+/, '')],
    ['a short signature', (v: string) => v.replace(/Signature=([0-9a-f]+)/, 'Signature=abc123')],
    ['an upper-case signature', (v: string) => v.replace(/Signature=([0-9a-f]+)/, (_m, s: string) => `Signature=${s.toUpperCase()}`)],
    ['unsorted SignedHeaders', (v: string) => v.replace('SignedHeaders=accept;host', 'SignedHeaders=host;accept')],
    ['a truncated Credential', (v: string) => v.replace('/execute-api/aws4_request', '')],
    ['a wrong scope terminator', (v: string) => v.replace('aws4_request', 'aws5_request')],
    ['a repeated field', (v: string) => `${v}, Signature=${'0'.repeat(64)}`],
    ['garbage', () => 'AWS4-HMAC-SHA256 nonsense'],
  ])('a malformed Authorization header: %s', async (_label, edit) => {
    const request = setAuthorization(await signedIncoming(GET), edit);
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.SignatureMalformed);
  });

  it.each([
    ['missing', undefined],
    ['not a real time', '20260231T120000Z'],
    ['in another format', '2026-01-15T12:00:00Z'],
  ])('an x-amz-date that is %s', async (_label, value) => {
    const request = withHeaders(await signedIncoming(GET), (h) => {
      h['x-amz-date'] = value;
    });
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.SignatureMalformed);
  });

  it('both an Authorization header and a presigned query', async () => {
    const request = await signedIncoming(GET);
    const both = { ...request, rawQuery: `${request.rawQuery}&X-Amz-Signature=${'0'.repeat(64)}` };
    await expectRefused(verifySigV4(both, verifyOptions()), AuthErrorCode.SignatureMalformed);
  });

  it('an expired temporary credential', async () => {
    const later = RECORDS[TEMPORARY.accessKeyId]!.expiresAt! + 1000;
    const request = await signedIncoming(POST, TEMPORARY, new Date(later));
    await expectRefused(verifySigV4(request, verifyOptions({ now: () => later })), AuthErrorCode.CredentialExpired);
  });

  it('temporary credentials used without their session token', async () => {
    const { sessionToken: _dropped, ...withoutToken } = TEMPORARY;
    await expectRefused(verifySigV4(await signedIncoming(POST, withoutToken), verifyOptions()), AuthErrorCode.SecurityTokenInvalid);
  });

  it('temporary credentials with the wrong session token', async () => {
    const wrongToken = { ...TEMPORARY, sessionToken: 'session-token-forged' };
    await expectRefused(verifySigV4(await signedIncoming(POST, wrongToken), verifyOptions()), AuthErrorCode.SecurityTokenInvalid);
  });

  it('a session token sent with long-term credentials', async () => {
    const confused = { ...CREDENTIALS, sessionToken: 'session-token-5a7c9e1b3d' };
    await expectRefused(verifySigV4(await signedIncoming(GET, confused), verifyOptions()), AuthErrorCode.SecurityTokenInvalid);
  });

  it('a declared payload hash that is not a SHA-256', async () => {
    const request = withHeaders(await signedIncoming(POST), (h) => {
      h['x-amz-content-sha256'] = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
    });
    await expectRefused(verifySigV4(request, verifyOptions()), AuthErrorCode.PayloadHashMismatch);
  });
});
