import { createHmac, hash } from 'node:crypto';

/**
 * The SigV4 canonical request, rebuilt on the receiving side. Every rule here mirrors what
 * @smithy/signature-v4 and aws4 do for non-S3 services (execute-api): if we are stricter or
 * looser than they are, their signatures stop verifying, so deviations are bugs.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const SCOPE_TERMINATOR = 'aws4_request';

/** RFC 3986: only unreserved characters stay literal; encodeURIComponent also spares !'()*. */
export function escapeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Segments of unreserved characters, none of them empty, `.` or `..`; a trailing slash allowed. */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-_.~]+)*\/?$/;

/**
 * Non-S3 services normalise the path (dot segments resolved, empty segments dropped) and then
 * encode each segment of the path *as sent*. Because the sent path is already percent-encoded,
 * `%20` becomes `%2520`: the SDKs double-encode on purpose, so we must as well.
 */
export function canonicalUri(rawPath: string): string {
  // Most paths are already canonical (unreserved characters, no empty or dot segments): the
  // rules below would give them back unchanged.
  if (rawPath !== '' && PLAIN_PATH.test(rawPath)) return rawPath;
  return canonicalUriByTheRules(rawPath);
}

/** The normalise-then-encode rules in full, for any path; `canonicalUri` skips them for plain ones. */
export function canonicalUriByTheRules(rawPath: string): string {
  const path = rawPath === '' ? '/' : rawPath;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = path.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `${leading}${segments.map(escapeRfc3986).join('/')}${trailing}`;
}

/**
 * True when the path is what canonicalUri's normalisation would leave unchanged. The SDKs sign
 * `/a//b` and `/a/x/../b` as `/a/b`, but a router takes the raw path literally, so such a path
 * would let one signature stand for a request the server handles differently.
 */
export function isNormalPath(rawPath: string): boolean {
  if (!rawPath.startsWith('/')) return false;
  const segments = rawPath.slice(1).split('/');
  return segments.every((segment, index) => segment !== '.' && segment !== '..' && (segment !== '' || index === segments.length - 1));
}

/**
 * Decoding with URLSearchParams (form rules: '+' is a space) is deliberate: the signer read its
 * query through URL.searchParams, and aws4 through querystring, which agree on that rule.
 * Sorting is by encoded key, then encoded value, in code-unit order (the encoded text is ASCII).
 */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    // The signature cannot sign itself; the SDK drops it whatever its case.
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([escapeRfc3986(key), escapeRfc3986(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? compare(av, bv) : compare(ak, bk)));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Repeated values join with ','; runs of whitespace collapse to one space and the ends are trimmed. */
export function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((value) => value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '')).join(',');
}

export interface CanonicalRequestParts {
  method: string;
  rawPath: string;
  rawQuery: string;
  /** Signed header names (lower-case, sorted) with their canonical values, in that order. */
  headers: ReadonlyArray<readonly [string, string]>;
  payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.headers.map(([name, value]) => `${name}:${value}\n`).join('');
  const signedHeaders = parts.headers.map(([name]) => name).join(';');
  return [parts.method, canonicalUri(parts.rawPath), canonicalQuery(parts.rawQuery), headerLines, signedHeaders, parts.payloadHash].join(
    '\n',
  );
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function signatureHex(secretAccessKey: string, scope: { date: string; region: string; service: string }, toSign: string): string {
  return createHmac('sha256', signingKey(secretAccessKey, scope)).update(toSign, 'utf8').digest('hex');
}

/**
 * The derived key changes once a day per credential and scope; deriving it costs four HMACs,
 * as much as the rest of a verification, so recent ones are kept (bounded, oldest dropped).
 */
const derivedKeys = new Map<string, Buffer>();
const DERIVED_KEY_CACHE_SIZE = 512;

function signingKey(secretAccessKey: string, scope: { date: string; region: string; service: string }): Buffer {
  const cacheKey = `${secretAccessKey}\0${scope.date}\0${scope.region}\0${scope.service}`;
  const cached = derivedKeys.get(cacheKey);
  if (cached) return cached;
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, scope.date);
  for (const part of [scope.region, scope.service, SCOPE_TERMINATOR]) key = hmac(key, part);
  if (derivedKeys.size >= DERIVED_KEY_CACHE_SIZE) derivedKeys.delete(derivedKeys.keys().next().value!);
  derivedKeys.set(cacheKey, key);
  return key;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** One-shot: a Hash object per call cost more than twice the hashing of a canonical request. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}
