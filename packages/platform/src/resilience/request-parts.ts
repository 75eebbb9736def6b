import { invalid } from '../core/errors.js';

export type QueryValue = string | number | boolean | undefined | (string | number)[];
export type QueryParams = Record<string, QueryValue>;

/**
 * RFC 3986 encoding: encodeURIComponent leaves !'()* alone and URLSearchParams turns spaces
 * into '+'; both make the bytes we send differ from what a SigV4 verifier canonicalises,
 * and a signature mismatch on a space in a search term is miserable to debug.
 */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Arrays become repeated keys (`?lot=a&lot=b`); undefined values are left out. */
export function encodeQuery(query: QueryParams | undefined): string {
  if (!query) return '';
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) pairs.push(`${encodeRfc3986(key)}=${encodeRfc3986(String(item))}`);
  }
  return pairs.join('&');
}

/**
 * Joins a base URL that may carry a path prefix (`http://erp:8080/api`) with a request path.
 * The path is taken as already encoded: callers encode their own segments, because only they
 * know whether a '/' inside an id is a separator or data.
 */
export function buildUrl(base: URL, path: string, query?: QueryParams): URL {
  if (!path.startsWith('/')) throw invalid('SERVICE_PATH_INVALID', `Service request path must start with "/": ${path}`);
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(base.origin);
  url.pathname = `${prefix}${path}`;
  const search = encodeQuery(query);
  url.search = search === '' ? '' : `?${search}`;
  return url;
}

/** Undici hands back repeated headers as arrays; callers want one string per name. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) lowered[name.toLowerCase()] = value;
  return lowered;
}
