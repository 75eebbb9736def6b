import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { invalid } from '../core/errors.js';
import {
  ALGORITHM,
  canonicalHeaderValue,
  canonicalRequest,
  escapeRfc3986,
  isNormalPath,
  SCOPE_TERMINATOR,
  sha256Hex,
  signatureHex,
  stringToSign,
} from './canonical.js';
import { MAX_PRESIGN_SECONDS } from './parse.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Seed values: us-east-1 / execute-api. */
export interface SigningScope {
  region: string;
  service: string;
}

export interface RequestToSign {
  method: string;
  /** Absolute URL including the query. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface PresignOptions {
  /** 1 to 604800 (seven days). */
  expiresInSeconds: number;
  now?: Date;
  /** Sign UNSIGNED-PAYLOAD instead of the body hash, for URLs handed out before the body exists. */
  unsignedPayload?: boolean;
}

export interface PresignedRequest {
  /** The URL with the X-Amz-* query; the signature lives here. */
  url: string;
  /** Headers that were signed and so must be sent with the URL (host and the caller's own). */
  headers: Record<string, string>;
  expiresAt: Date;
}

/**
 * Headers that describe one connection hop. Proxies and HTTP clients rewrite them, so a
 * signature over them would break in transit, and leaving them unsigned would break the
 * promise that every caller header is signed: refusing them is the only honest option.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** The signer produces these itself; a caller's copy would be stale or wrong. */
const PRODUCED_BY_SIGNER = new Set(['authorization', 'date', 'x-amz-date', 'x-amz-content-sha256']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * Signs with AWS SigV4 and returns the full header set to send, names lower-case. Every
 * caller header is signed, including those the SDK leaves out by default (user-agent, expect...).
 */
export async function signRequest(
  request: RequestToSign,
  credentials: SigningCredentials,
  scope: SigningScope,
  now?: Date,
): Promise<Record<string, string>> {
  return signRequestNow(request, credentials, scope, now);
}

/**
 * signRequest without the promise, for a caller signing on every request it forwards (the
 * gateway). Built on the canonical form the verifier uses, with the derived key cached per
 * day, region and service: the SDK's signer cost a fifth of the gateway's thread. It produces
 * exactly the headers @smithy/signature-v4 does for the same input (sign.equivalence.test.ts).
 */
export function signRequestNow(
  request: RequestToSign,
  credentials: SigningCredentials,
  scope: SigningScope,
  now: Date = new Date(),
): Record<string, string> {
  const url = parseUrl(request.url);
  const headers = headersToSign(request.headers, url);
  const amzDate = amzDateOf(now);
  headers.set('x-amz-date', amzDate);
  if (credentials.sessionToken) headers.set('x-amz-security-token', credentials.sessionToken);
  const payloadHash = request.body === undefined ? EMPTY_SHA256 : sha256Hex(request.body);
  headers.set('x-amz-content-sha256', payloadHash);
  const names = [...headers.keys()].sort();
  const canonical = canonicalRequest({
    method: request.method.toUpperCase(),
    rawPath: url.pathname,
    rawQuery: url.search.slice(1),
    headers: names.map((name) => [name, canonicalHeaderValue([headers.get(name) ?? ''])] as const),
    payloadHash,
  });
  const date = amzDate.slice(0, 8);
  const credentialScope = `${date}/${scope.region}/${scope.service}/${SCOPE_TERMINATOR}`;
  const signature = signatureHex(credentials.secretAccessKey, { date, ...scope }, stringToSign(amzDate, credentialScope, canonical));
  const signed = Object.fromEntries(headers);
  signed.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return signed;
}

const EMPTY_SHA256 = sha256Hex('');

/** 20260101T120000Z: ISO 8601 basic format, whole seconds, as the SDK writes it. */
function amzDateOf(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** The query-string form: the signature travels in the URL and expires. */
export async function presignUrl(
  request: RequestToSign,
  credentials: SigningCredentials,
  scope: SigningScope,
  options: PresignOptions,
): Promise<PresignedRequest> {
  const { expiresInSeconds } = options;
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw invalid('AUTH_SIGNING_INPUT_INVALID', `expiresInSeconds must be a whole number from 1 to ${MAX_PRESIGN_SECONDS}`);
  }
  const { httpRequest, signable, url } = toHttpRequest(request);
  // Capitalised as AWS spells the query parameter, because the SDK hoists x-amz-* headers into the query verbatim.
  if (options.unsignedPayload) httpRequest.headers['X-Amz-Content-Sha256'] = 'UNSIGNED-PAYLOAD';
  const signingDate = options.now ?? new Date();
  const presigned = await signer(credentials, scope).presign(httpRequest, {
    signingDate,
    expiresIn: expiresInSeconds,
    signableHeaders: signable,
  });
  return {
    url: `${url.origin}${url.pathname}?${serialiseQuery(presigned.query ?? {})}`,
    headers: { ...presigned.headers },
    expiresAt: new Date(Math.floor(signingDate.getTime() / 1000) * 1000 + expiresInSeconds * 1000),
  };
}

/**
 * SHA-256 and HMAC through node:crypto (OpenSSL) rather than the SDK's pure-JS default, which
 * showed up as a tenth of the gateway's CPU per forwarded request.
 */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBytes(data: SourceData): string | Buffer {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(this.secret));
  }
}

/** Signers keep a cache of derived keys; one per credential and scope lets it work. */
const signers = new Map<string, SignatureV4>();
const SIGNER_CACHE_SIZE = 64;

function signer(credentials: SigningCredentials, scope: SigningScope): SignatureV4 {
  const cacheKey = [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken ?? '', scope.region, scope.service].join(
    '\0',
  );
  const cached = signers.get(cacheKey);
  if (cached) return cached;
  const created = new SignatureV4({
    credentials,
    region: scope.region,
    service: scope.service,
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: true,
  });
  if (signers.size >= SIGNER_CACHE_SIZE) signers.delete(signers.keys().next().value!);
  signers.set(cacheKey, created);
  return created;
}

/** The caller's headers, validated and lower-cased, with Host from the URL and nothing the signer produces. */
function headersToSign(given: Record<string, string>, url: URL): Map<string, string> {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(given)) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(lower)) throw invalid('AUTH_SIGNING_INPUT_INVALID', `"${name}" is not a valid header name`);
    if (HOP_BY_HOP.has(lower) || lower.startsWith('proxy-')) {
      throw invalid('AUTH_SIGNING_INPUT_INVALID', `hop-by-hop header ${lower} cannot be signed`);
    }
    if (headers.has(lower)) {
      throw invalid('AUTH_SIGNING_INPUT_INVALID', `header ${lower} is given twice`);
    }
    headers.set(lower, value);
  }
  for (const name of PRODUCED_BY_SIGNER) headers.delete(name);
  // The HTTP client derives Host from the URL; the signature must cover the same value.
  if (!headers.has('host')) headers.set('host', url.host);
  return headers;
}

function toHttpRequest(request: RequestToSign): { httpRequest: HttpRequest; signable: Set<string>; url: URL } {
  const url = parseUrl(request.url);
  const headers = headersToSign(request.headers, url);

  const query = new Map<string, string | string[]>();
  for (const [key, value] of url.searchParams) {
    const existing = query.get(key);
    query.set(key, existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]);
  }
  const httpRequest = new HttpRequest({
    method: request.method.toUpperCase(),
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    // Already percent-encoded, exactly as the client will send it; the signer encodes it once more.
    path: url.pathname,
    // fromEntries defines own properties, so a key like "__proto__" stays a plain key.
    query: Object.fromEntries(query),
    headers: Object.fromEntries(headers),
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { httpRequest, signable: new Set(headers.keys()), url };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('AUTH_SIGNING_INPUT_INVALID', 'url must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('AUTH_SIGNING_INPUT_INVALID', 'url must be http or https');
  }
  // The verifier refuses these (see isNormalPath); failing here names the real culprit.
  if (!isNormalPath(url.pathname)) {
    throw invalid('AUTH_SIGNING_INPUT_INVALID', 'url path has an empty segment ("//"), which the signature cannot bind');
  }
  return url;
}

function serialiseQuery(query: Record<string, string | readonly string[] | null>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) pairs.push(`${escapeRfc3986(key)}=${escapeRfc3986(item)}`);
  }
  return pairs.join('&');
}
