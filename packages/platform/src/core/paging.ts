import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { defineErrors } from './errors.js';

/**
 * The one paging convention of new list endpoints: `limit` (default 100, at most 1000) and an
 * opaque keyset `cursor`. The cursor is the sort key of the last row served, as base64url JSON,
 * so a page never skips or repeats a row when rows are added or removed between requests (an
 * offset would). Callers must treat it as opaque: its inside may change between versions.
 */
export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 1000;
/** Where a list whose documented body is a bare array sends the next cursor (absent on the last page). */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';

export const PagingError = defineErrors({
  CURSOR_INVALID: 'invalid',
});

/** Query parameters of a paged list; merge them into the route's own query schema. */
export const PageQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: PAGE_LIMIT_MAX,
      description: `rows per page (default ${PAGE_LIMIT_DEFAULT}, at most ${PAGE_LIMIT_MAX})`,
    }),
  ),
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 2048,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'opaque: the `next` of the previous page; omit for the first page',
    }),
  ),
});
export type PageQuery = Static<typeof PageQuery>;

/** A page in a body: `next` is null on the last page. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** A page in a body, for response schemas. */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    next: Type.Union([Type.String(), Type.Null()], { description: 'cursor of the next page; null on the last' }),
  });

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key a cursor carries, checked against the list's key schema; anything else is 400 CURSOR_INVALID. */
export function decodeCursor<S extends TSchema>(cursor: string, key: S): Static<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw PagingError.CURSOR_INVALID('The cursor is not one this list handed out');
  }
  if (!Value.Check(key, parsed)) throw PagingError.CURSOR_INVALID('The cursor is not one this list handed out');
  return parsed;
}

/**
 * Cuts the rows of a page query made with `limit + 1`: the extra row only says that another
 * page exists, and the last row served gives the next cursor.
 */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (row: T) => unknown): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
