import { timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../core/errors.js';
import { equalSecrets } from '../core/secrets.js';
import {
  canonicalHeaderValue,
  canonicalRequest,
  isNormalPath,
  SCOPE_TERMINATOR,
  sha256Hex,
  signatureHex,
  stringToSign,
  UNSIGNED_PAYLOAD,
} from './canonical.js';
import { AuthErrorCode } from './codes.js';
import { headerMap, parseClaim, type HeaderMap, type SignatureClaim } from './parse.js';

export interface IncomingRequest {
  method: string;
  /** Raw path as received, still percent-encoded, without the query. */
  path: string;
  /** Raw query string as received, without the '?'. */
  rawQuery: string;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body?: Uint8Array | string;
}

export interface CredentialRecord {
  secretAccessKey: string;
  principal: string;
  sessionToken?: string;
  /** Epoch ms. */
  expiresAt?: number;
}

export interface VerifyOptions {
  region: string;
  service: string;
  lookup(accessKeyId: string): CredentialRecord | undefined | Promise<CredentialRecord | undefined>;
  now?: () => number;
  /** Default 300000 (five minutes), applied in both directions. */
  clockSkewMs?: number;
  /** Default ['host']. */
  requiredSignedHeaders?: string[];
  /** Default 'x-tributary-': every present header with this prefix must be signed. */
  identityHeaderPrefix?: string;
}

export interface VerifiedCaller {
  principal: string;
  accessKeyId: string;
  signedHeaders: string[];
}

const DEFAULT_SKEW_MS = 5 * 60 * 1000;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Most signed requests are GETs: their empty body's hash is a constant, not a hash per request. */
const EMPTY_SHA256 = sha256Hex('');

/**
 * Verifies an AWS SigV4 signature (Authorization header or presigned query). Cheap,
 * stateless checks run before the credential lookup so garbage never reaches the store.
 * Replay inside the skew window is not prevented here; mutating calls lean on idempotency keys.
 */
export async function verifySigV4(request: IncomingRequest, options: VerifyOptions): Promise<VerifiedCaller> {
  return verifySigV4Now(request, options);
}

/**
 * verifySigV4 without a promise when the credential lookup answers at once (an in-memory
 * keyring or cache): the per-request hook calls it, and a promise per request cost more than
 * parsing the claim. Refusals are thrown synchronously then; the checks are the same.
 */
export function verifySigV4Now(request: IncomingRequest, options: VerifyOptions): VerifiedCaller | Promise<VerifiedCaller> {
  return afterHead(checkHead(request, options), (head) => checkSignature(request, head, resolvePayloadHash(head.claim, request.body)));
}

/**
 * Everything that can be checked before the body arrives: the claim, scope, time, signed
 * headers and key, and, when the request declares its payload hash (x-amz-content-sha256, which
 * the kernel's signer always sends), the signature itself over that declared hash. A forged or
 * stale request with a large body is thus refused before a byte of it is read; verifySigV4
 * still runs once the body is in, and refuses a body that does not match the declared hash.
 */
export async function verifySigV4Head(request: Omit<IncomingRequest, 'body'>, options: VerifyOptions): Promise<void> {
  return verifySigV4HeadNow(request, options);
}

/** verifySigV4Head, synchronous when the lookup is (see verifySigV4Now). */
export function verifySigV4HeadNow(request: Omit<IncomingRequest, 'body'>, options: VerifyOptions): void | Promise<void> {
  return afterHead(checkHead(request, options), (head) => {
    const declared = head.claim.declaredPayloadHash;
    if (declared === undefined) return;
    if (declared !== UNSIGNED_PAYLOAD && !SHA256_HEX.test(declared)) {
      throw unauthenticated(AuthErrorCode.PayloadHashMismatch, 'x-amz-content-sha256 must be a hex SHA-256 or UNSIGNED-PAYLOAD');
    }
    if (declared === UNSIGNED_PAYLOAD && head.claim.form === 'header') {
      throw unauthenticated(AuthErrorCode.PayloadHashMismatch, 'UNSIGNED-PAYLOAD is accepted only on presigned URLs');
    }
    checkSignature(request, head, declared);
  });
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function afterHead<T>(head: CheckedHead | Promise<CheckedHead>, then: (head: CheckedHead) => T): T | Promise<T> {
  return isThenable(head) ? Promise.resolve(head).then(then) : then(head);
}

interface CheckedHead {
  claim: SignatureClaim;
  headers: HeaderMap;
  record: CredentialRecord;
}

function checkHead(request: Omit<IncomingRequest, 'body'>, options: VerifyOptions): CheckedHead | Promise<CheckedHead> {
  const headers = headerMap(request.headers);
  const claim = parseClaim(headers, request.rawQuery);
  const now = (options.now ?? Date.now)();
  if (!isNormalPath(request.path)) {
    throw unauthenticated(AuthErrorCode.SignatureMalformed, 'request path has empty or dot segments, which a signature cannot bind');
  }

  checkScope(claim, options);
  checkTime(claim, now, options.clockSkewMs ?? DEFAULT_SKEW_MS);
  checkSignedHeaders(claim, headers, options);

  const found = options.lookup(claim.accessKeyId);
  const withRecord = (record: CredentialRecord | undefined): CheckedHead => {
    if (!record) throw unauthenticated(AuthErrorCode.UnknownAccessKey, 'access key is not recognised');
    if (record.expiresAt !== undefined && now >= record.expiresAt) {
      throw unauthenticated(AuthErrorCode.CredentialExpired, 'temporary credentials have expired');
    }
    checkSecurityToken(claim, record);
    return { claim, headers, record };
  };
  return isThenable(found) ? Promise.resolve(found).then(withRecord) : withRecord(found);
}

function checkSignature(request: Omit<IncomingRequest, 'body'>, head: CheckedHead, payloadHash: string): VerifiedCaller {
  const { claim, headers, record } = head;
  const canonical = canonicalRequest({
    method: request.method,
    rawPath: request.path,
    rawQuery: request.rawQuery,
    headers: claim.signedHeaders.map((name) => [name, canonicalHeaderValue(headers.get(name) ?? [])] as const),
    payloadHash,
  });
  const expected = signatureHex(record.secretAccessKey, claim.scope, stringToSign(claim.amzDate, claim.scope.text, canonical));
  // Both are 64 hex characters (the parser insists), so the buffers are the same length.
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(claim.signature, 'hex'))) {
    throw unauthenticated(AuthErrorCode.SignatureMismatch, 'signature does not match the request');
  }
  return { principal: record.principal, accessKeyId: claim.accessKeyId, signedHeaders: claim.signedHeaders };
}

function checkScope(claim: SignatureClaim, options: VerifyOptions): void {
  const { scope } = claim;
  if (scope.terminator !== SCOPE_TERMINATOR) {
    throw unauthenticated(AuthErrorCode.SignatureMalformed, `credential scope must end with ${SCOPE_TERMINATOR}`);
  }
  if (scope.date !== claim.amzDate.slice(0, 8)) {
    throw unauthenticated(AuthErrorCode.ScopeMismatch, 'credential scope date is not the day of x-amz-date');
  }
  if (scope.region !== options.region || scope.service !== options.service) {
    throw unauthenticated(AuthErrorCode.ScopeMismatch, 'credential scope names a different region or service');
  }
}

function checkTime(claim: SignatureClaim, now: number, skewMs: number): void {
  if (claim.signedAtMs - now > skewMs) {
    throw unauthenticated(AuthErrorCode.RequestExpired, 'request is signed too far in the future; check the caller clock');
  }
  if (claim.expiresInSeconds !== undefined) {
    if (now > claim.signedAtMs + claim.expiresInSeconds * 1000) {
      throw unauthenticated(AuthErrorCode.RequestExpired, 'presigned URL has expired');
    }
  } else if (now - claim.signedAtMs > skewMs) {
    throw unauthenticated(AuthErrorCode.RequestExpired, 'request signature is too old; check the caller clock');
  }
}

function checkSignedHeaders(claim: SignatureClaim, headers: HeaderMap, options: VerifyOptions): void {
  const signed = new Set(claim.signedHeaders);
  for (const name of options.requiredSignedHeaders ?? ['host']) {
    const lower = name.toLowerCase();
    if (!signed.has(lower)) throw notSigned(lower);
  }
  // Identity headers decide who the caller acts for; an unsigned one could be added by anyone on the path.
  const prefix = (options.identityHeaderPrefix ?? 'x-tributary-').toLowerCase();
  for (const name of headers.keys()) {
    if (name.startsWith(prefix) && !signed.has(name)) throw notSigned(name);
  }
  for (const name of claim.signedHeaders) {
    if (!headers.has(name)) {
      throw unauthenticated(AuthErrorCode.SignatureMalformed, `signed header ${name} is absent from the request`, {
        details: { header: name },
      });
    }
  }
}

function notSigned(name: string) {
  return unauthenticated(AuthErrorCode.HeaderNotSigned, `header ${name} must be covered by the signature`, {
    details: { header: name },
  });
}

function checkSecurityToken(claim: SignatureClaim, record: CredentialRecord): void {
  if (record.sessionToken === undefined) {
    // A token sent with long-term credentials means the caller is confused about what it holds.
    if (claim.securityToken !== undefined) {
      throw unauthenticated(AuthErrorCode.SecurityTokenInvalid, 'security token sent for credentials that have none');
    }
    return;
  }
  if (claim.securityToken === undefined || !equalSecrets(claim.securityToken, record.sessionToken)) {
    throw unauthenticated(AuthErrorCode.SecurityTokenInvalid, 'security token is missing or does not match');
  }
}

/**
 * The hash that goes into the canonical request is always the hash of the bytes that arrived
 * (or UNSIGNED-PAYLOAD where allowed), never merely the declared one: a declared hash that
 * does not match the body is refused, so a changed body cannot ride on an old signature.
 */
function resolvePayloadHash(claim: SignatureClaim, body: Uint8Array | string | undefined): string {
  const declared = claim.declaredPayloadHash;
  if (declared === UNSIGNED_PAYLOAD) {
    // In header form an unsigned body could be swapped by anyone replaying inside the skew window.
    if (claim.form === 'header') {
      throw unauthenticated(AuthErrorCode.PayloadHashMismatch, 'UNSIGNED-PAYLOAD is accepted only on presigned URLs');
    }
    return UNSIGNED_PAYLOAD;
  }
  const actual = body === undefined || body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
  if (declared !== undefined) {
    if (!SHA256_HEX.test(declared)) {
      throw unauthenticated(AuthErrorCode.PayloadHashMismatch, 'x-amz-content-sha256 must be a hex SHA-256 or UNSIGNED-PAYLOAD');
    }
    if (declared !== actual) {
      throw unauthenticated(AuthErrorCode.PayloadHashMismatch, 'body does not match x-amz-content-sha256');
    }
  }
  return actual;
}
