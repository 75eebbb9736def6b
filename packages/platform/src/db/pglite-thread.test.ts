import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from './create.js';
import { dbConstraintName, dbErrorKind, isDatabaseUnavailable } from './errors.js';

interface Schema {
  lot: { id: number; qty: string; made_on: string; tags: string[] | null };
}

describe('PGlite in a thread of its own', () => {
  let dir: string;
  let database: Database<Schema>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pglite-thread-'));
    database = await createDatabase<Schema>(`pglite://${dir}`, { pgliteThread: true });
    await sql`create table lot (id integer primary key, qty numeric(12,3) not null, made_on date not null, tags text[])`.execute(
      database.db,
    );
  });
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers like an instance in this thread: exact numbers and days as text, arrays, affected rows', async () => {
    await database.db
      .insertInto('lot')
      .values([
        { id: 1, qty: '12.345', made_on: '2026-07-01', tags: ['a', 'b'] },
        { id: 2, qty: '0.001', made_on: '2026-07-02', tags: null },
      ])
      .execute();
    const updated = await database.db.updateTable('lot').set({ qty: '1.000' }).where('id', '=', 2).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    expect(await database.db.selectFrom('lot').selectAll().orderBy('id').execute()).toEqual([
      { id: 1, qty: '12.345', made_on: '2026-07-01', tags: ['a', 'b'] },
      { id: 2, qty: '1.000', made_on: '2026-07-02', tags: null },
    ]);
  });

  it("keeps the driver's error fields, so refusals are classified as before", async () => {
    const error = await database.db
      .insertInto('lot')
      .values({ id: 1, qty: '1', made_on: '2026-07-01', tags: null })
      .execute()
      .catch((e: unknown) => e);
    expect(dbErrorKind(error)).toBe('unique');
    expect(dbConstraintName(error)).toBe('lot_pkey');
  });

  it('runs a transaction on its one connection and rolls back what failed', async () => {
    const outcome = database.db.transaction().execute(async (trx) => {
      await trx.insertInto('lot').values({ id: 3, qty: '3', made_on: '2026-07-03', tags: null }).execute();
      await trx.insertInto('lot').values({ id: 3, qty: '3', made_on: '2026-07-03', tags: null }).execute();
    });
    await expect(outcome).rejects.toThrow();
    const concurrent = await Promise.all([1, 2, 3].map((id) => database.db.selectFrom('lot').select('id').where('id', '=', id).execute()));
    expect(concurrent.map((rows) => rows.length)).toEqual([1, 1, 0]);
  });

  it('keeps its data across a close and a reopen, and refuses queries once closed', async () => {
    const other = await createDatabase<Schema>(`pglite://${join(dir, 'second')}`, { pgliteThread: true });
    await sql`create table lot (id integer primary key)`.execute(other.db);
    await other.db
      .insertInto('lot')
      .values({ id: 7 } as Schema['lot'])
      .execute();
    await other.close();
    const closed = await sql`select 1`.execute(other.db).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(closed)).toBe(true);
    const reopened = await createDatabase<Schema>(`pglite://${join(dir, 'second')}`, { pgliteThread: true });
    try {
      expect(await reopened.db.selectFrom('lot').select('id').execute()).toEqual([{ id: 7 }]);
    } finally {
      await reopened.close();
    }
  });
});
