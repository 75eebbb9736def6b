import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './create.js';
import { pgliteFsBundle } from './pglite-module.js';

describe('PGlite file-system bundle', () => {
  it('is read once and every instance gets the same bytes as the package file', async () => {
    const [first, second] = await Promise.all([pgliteFsBundle(), pgliteFsBundle()]);
    expect(second).toBe(first);
    const [a, b] = await Promise.all([first.arrayBuffer(), second.arrayBuffer()]);
    expect(b).toBe(a);
    const file = await readFile(new URL('pglite.data', `file://${createRequire(import.meta.url).resolve('@electric-sql/pglite')}`));
    expect(a.byteLength).toBe(file.byteLength);
    expect(first.size).toBe(file.byteLength);
    expect(Buffer.from(a).equals(file)).toBe(true);
  });

  it('serves its files (time zones, text search) to several instances at once, and outlives one closing', async () => {
    const [one, two] = await Promise.all([createDatabase('pglite://memory'), createDatabase('pglite://memory')]);
    try {
      // Time zone rules and the English stemmer both come from share/ in the bundle.
      const query = sql<{ local: string; words: string }>`
        select to_char(timestamptz '2026-07-01 12:00:00+00' at time zone 'Europe/Berlin', 'HH24:MI') as local,
               to_tsvector('english', 'Tea bags were blended')::text as words`;
      const expected = { local: '14:00', words: "'bag':2 'blend':4 'tea':1" };
      expect((await query.execute(one.db)).rows).toEqual([expected]);
      expect((await query.execute(two.db)).rows).toEqual([expected]);
      await one.close();
      expect((await query.execute(two.db)).rows).toEqual([expected]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
