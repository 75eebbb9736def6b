import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { invalid } from '../core/errors.js';
import { escapeRfc3986, isNormalPath } from './canonical.js';
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
  const { httpRequest, signable } = toHttpRequest(request);
  const signed = await signer(credentials, scope).sign(httpRequest, {
    signingDate: now ?? new Date(),
    signableHeaders: signable,
  });
  return { ...signed.headers };
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

function toHttpRequest(request: RequestToSign): { httpRequest: HttpRequest; signable: Set<string>; url: URL } {
  const url = parseUrl(request.url);
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
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
