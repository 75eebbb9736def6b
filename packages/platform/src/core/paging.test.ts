import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.js';
import { decodeCursor, encodeCursor, pageOf, PagingError } from './paging.js';

const Key = Type.Tuple([Type.String(), Type.Integer()]);

describe('paging', () => {
  it('hands back the key a cursor carries, and the cursor is url-safe', () => {
    const cursor = encodeCursor(['12345678901234567', 4]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, Key)).toEqual(['12345678901234567', 4]);
  });

  it('refuses a cursor that is not base64url JSON or does not fit the key with CURSOR_INVALID', () => {
    for (const cursor of [
      '!!',
      encodeCursor({ a: 1 }),
      encodeCursor(['x']),
      encodeCursor(['x', 1.5]),
      Buffer.from('{').toString('base64url'),
    ]) {
      const refused = (() => {
        try {
          return decodeCursor(cursor, Key);
        } catch (error) {
          return error;
        }
      })();
      expect(isAppError(refused) && [refused.status, refused.code]).toEqual([400, PagingError.CURSOR_INVALID.code]);
    }
  });

  it('cuts a limit + 1 query into a page whose cursor is the last row served, null at the end', () => {
    const rows = [1, 2, 3, 4];
    const full = pageOf(rows, 3, (n) => [String(n), n]);
    expect(full.items).toEqual([1, 2, 3]);
    expect(decodeCursor(full.next!, Key)).toEqual(['3', 3]);
    expect(pageOf(rows, 4, (n) => [String(n), n])).toEqual({ items: rows, next: null });
    expect(pageOf([], 4, (n: number) => [String(n), n])).toEqual({ items: [], next: null });
  });
});
