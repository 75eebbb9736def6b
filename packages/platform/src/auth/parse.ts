import { unauthenticated } from '../core/errors.js';
import { ALGORITHM } from './canonical.js';
import { AuthErrorCode } from './codes.js';

/** What a request claims about its own signature, before any of it is trusted. */
export interface SignatureClaim {
  form: 'header' | 'presigned';
  accessKeyId: string;
  scope: { date: string; region: string; service: string; terminator: string; text: string };
  /** Lower-case, strictly ascending, as listed by the signer. */
  signedHeaders: string[];
  /** 64 lower-case hex characters. */
  signature: string;
  amzDate: string;
  signedAtMs: number;
  /** Presigned form only. */
  expiresInSeconds?: number;
  securityToken?: string;
  /** The payload hash the request declares (x-amz-content-sha256), if any. */
  declaredPayloadHash?: string;
}

export type HeaderMap = ReadonlyMap<string, readonly string[]>;

export const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const malformed = (message: string) => unauthenticated(AuthErrorCode.SignatureMalformed, message);

/** Lower-cases names and keeps every value, so repeated headers are never silently dropped. */
export function headerMap(headers: Record<string, string | string[] | undefined>): HeaderMap {
  const map = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const list = map.get(key) ?? [];
    list.push(...(Array.isArray(value) ? value : [value]));
    map.set(key, list);
  }
  return map;
}

/** True when the request carries either signature form at all; cheap enough for onRequest. */
export function carriesSignature(headers: Pick<HeaderMap, 'has'>, rawQuery: string): boolean {
  if (headers.has('authorization')) return true;
  if (rawQuery === '') return false;
  const query = new URLSearchParams(rawQuery);
  return query.has('X-Amz-Signature') || query.has('X-Amz-Algorithm');
}

export function parseClaim(headers: HeaderMap, rawQuery: string): SignatureClaim {
  const query = new URLSearchParams(rawQuery);
  const presigned = rawQuery !== '' && (query.has('X-Amz-Signature') || query.has('X-Amz-Algorithm'));
  const authorization = headers.get('authorization');
  if (authorization && presigned) {
    // Two signatures could disagree about who is calling; refuse rather than pick one.
    throw malformed('request carries both an Authorization header and a presigned query');
  }
  if (authorization) return parseHeaderForm(authorization, headers);
  if (presigned) return parsePresignedForm(query, headers);
  throw signatureMissing();
}

export function signatureMissing() {
  return unauthenticated(
    AuthErrorCode.SignatureMissing,
    'request is not signed: expected an AWS4-HMAC-SHA256 Authorization header or a presigned URL',
  );
}

function parseHeaderForm(authorization: readonly string[], headers: HeaderMap): SignatureClaim {
  const value = single(authorization, 'Authorization header').trim();
  const space = value.indexOf(' ');
  const algorithm = space === -1 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) throw malformed(`unsupported signing algorithm; expected ${ALGORITHM}`);

  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const trimmed = part.trim();
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw malformed('Authorization header is not a list of key=value pairs');
    const key = trimmed.slice(0, eq);
    if (fields.has(key)) throw malformed(`Authorization header repeats ${key}`);
    fields.set(key, trimmed.slice(eq + 1));
  }
  const amzDate = single(headers.get('x-amz-date') ?? [], 'x-amz-date header');
  return {
    form: 'header',
    ...parseCredential(required(fields.get('Credential'), 'Credential')),
    signedHeaders: parseSignedHeaders(required(fields.get('SignedHeaders'), 'SignedHeaders')),
    signature: parseSignature(required(fields.get('Signature'), 'Signature')),
    amzDate,
    signedAtMs: parseAmzDate(amzDate),
    ...optional('securityToken', headers.get('x-amz-security-token'), 'x-amz-security-token header'),
    ...optional('declaredPayloadHash', headers.get('x-amz-content-sha256'), 'x-amz-content-sha256 header'),
  };
}

function parsePresignedForm(query: URLSearchParams, headers: HeaderMap): SignatureClaim {
  const param = (name: string) => single(query.getAll(name), `${name} query parameter`);
  if (param('X-Amz-Algorithm') !== ALGORITHM) throw malformed(`unsupported signing algorithm; expected ${ALGORITHM}`);
  const amzDate = param('X-Amz-Date');
  const expires = param('X-Amz-Expires');
  if (!/^\d{1,7}$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_PRESIGN_SECONDS) {
    throw malformed(`X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGN_SECONDS}`);
  }
  // Signers hoist x-amz-* headers into the query keeping their own casing, so match any case.
  const hoistedHash = [...query.keys()].filter((key) => key.toLowerCase() === 'x-amz-content-sha256');
  const declaredHash = [...(headers.get('x-amz-content-sha256') ?? []), ...hoistedHash.flatMap((k) => query.getAll(k))];
  const token = query.getAll('X-Amz-Security-Token');
  return {
    form: 'presigned',
    ...parseCredential(param('X-Amz-Credential')),
    signedHeaders: parseSignedHeaders(param('X-Amz-SignedHeaders')),
    signature: parseSignature(param('X-Amz-Signature')),
    amzDate,
    signedAtMs: parseAmzDate(amzDate),
    expiresInSeconds: Number(expires),
    ...optional('securityToken', token.length > 0 ? token : undefined, 'X-Amz-Security-Token'),
    ...optional('declaredPayloadHash', declaredHash.length > 0 ? declaredHash : undefined, 'X-Amz-Content-Sha256'),
  };
}

function parseCredential(text: string): Pick<SignatureClaim, 'accessKeyId' | 'scope'> {
  // Split from the end: the four scope parts never contain '/', so whatever precedes them is the key id.
  const parts = text.split('/');
  if (parts.length < 5) throw malformed('Credential must be <access key id>/<date>/<region>/<service>/aws4_request');
  const [date, region, service, terminator] = parts.slice(-4) as [string, string, string, string];
  const accessKeyId = parts.slice(0, -4).join('/');
  if (accessKeyId === '' || !/^\d{8}$/.test(date) || region === '' || service === '') {
    throw malformed('Credential must be <access key id>/<date>/<region>/<service>/aws4_request');
  }
  return { accessKeyId, scope: { date, region, service, terminator, text: parts.slice(-4).join('/') } };
}

function parseSignedHeaders(text: string): string[] {
  const names = text.split(';');
  for (const [index, name] of names.entries()) {
    if (!HEADER_NAME.test(name)) throw malformed('SignedHeaders must be lower-case header names separated by ";"');
    // Canonical order is part of the signature; a list out of order can only be tampered with.
    const previous = names[index - 1];
    if (previous !== undefined && previous >= name) throw malformed('SignedHeaders must be sorted and unique');
  }
  return names;
}

function parseSignature(text: string): string {
  if (!SIGNATURE.test(text)) throw malformed('Signature must be 64 lower-case hex characters');
  return text;
}

function parseAmzDate(text: string): number {
  const match = AMZ_DATE.exec(text);
  if (!match) throw malformed('x-amz-date must look like 20260101T000000Z');
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 20261332 over into a real date (and years below 100 into the 1900s); reading
  // the parts back catches both, as a string round trip would, without formatting a date.
  const real = new Date(ms);
  if (real.getUTCFullYear() !== y || real.getUTCMonth() !== mo - 1 || real.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw malformed('x-amz-date is not a real UTC time');
  }
  return ms;
}

function single(values: readonly string[], what: string): string {
  if (values.length !== 1 || values[0] === undefined) {
    throw malformed(values.length === 0 ? `missing ${what}` : `${what} appears more than once`);
  }
  return values[0];
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw malformed(`Authorization header lacks ${field}`);
  return value;
}

function optional<K extends string>(key: K, values: readonly string[] | undefined, what: string): Partial<Record<K, string>> {
  if (values === undefined) return {};
  return { [key]: single(values, what) } as Partial<Record<K, string>>;
}
