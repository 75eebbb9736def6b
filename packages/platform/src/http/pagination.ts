import type { FastifyReply } from 'fastify';
import { NEXT_CURSOR_HEADER } from '../core/paging.js';

/**
 * For a list whose documented body is a bare array (clients of the original expect one), the
 * next cursor travels in `X-Next-Cursor` and as an RFC 8288 `Link: <…>; rel="next"`; both are
 * absent on the last page. `url` is the request's own path and query.
 */
export function sendNextCursor(reply: FastifyReply, url: string, next: string | null): void {
  if (next === null) return;
  const [path, search = ''] = url.split('?', 2) as [string, string?];
  const query = new URLSearchParams(search);
  query.set('cursor', next);
  void reply.header(NEXT_CURSOR_HEADER, next);
  void reply.header('link', `<${path}?${query.toString()}>; rel="next"`);
}

/** Response headers of such a list, for its OpenAPI document. */
export const nextCursorHeaders = {
  [NEXT_CURSOR_HEADER]: { type: 'string', description: 'cursor of the next page; absent on the last page' },
  link: { type: 'string', description: 'RFC 8288 link to the next page (rel="next"); absent on the last page' },
} as const;

/** The OpenAPI description of such a list's paging, the same words on every one. */
export const PAGED_ARRAY =
  'Without `limit` and `cursor` every match comes back. With either, one page comes back; the next page is asked for with `cursor` set to ' +
  'the `X-Next-Cursor` header (also given as `Link: <…>; rel="next"`), absent on the last page.';
