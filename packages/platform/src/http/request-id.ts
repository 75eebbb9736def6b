import type { IncomingHttpHeaders } from 'node:http';
import { uuid } from '../core/ids.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What we accept from a caller. The id lands in every log line and is echoed in a header, so
 * anything that could forge log fields, split a header or bloat the logs is refused.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isSaneRequestId(value: unknown): value is string {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value);
}

/**
 * The caller's id when it is sane, otherwise a fresh uuid. A refused id is replaced rather
 * than answered with a 400: correlation is a courtesy and must never fail a request.
 */
export function requestIdFrom(headers: IncomingHttpHeaders): string {
  const given = headers[REQUEST_ID_HEADER];
  return isSaneRequestId(given) ? given : uuid();
}
