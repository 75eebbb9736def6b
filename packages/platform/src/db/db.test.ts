import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { dbConstraintName, dbErrorKind } from './errors.js';
import { inTransaction } from './transaction.js';
import { parseDatabaseUrl, redactUrl } from './url.js';

describe('parseDatabaseUrl', () => {
  it('recognises every dialect', () => {
    expect(parseDatabaseUrl('postgres://u:p@h/db').dialect).toBe('postgres');
    expect(parseDatabaseUrl('postgresql://h/db').dialect).toBe('postgres');
    expect(parseDatabaseUrl('mysql://root@h:3306/erp')).toEqual({ dialect: 'mysql', target: 'mysql://root@h:3306/erp' });
    expect(parseDatabaseUrl('mariadb://root@h/erp').target).toBe('mysql://root@h/erp');
    expect(parseDatabaseUrl('pglite://memory')).toEqual({ dialect: 'pglite', target: 'memory' });
    expect(parseDatabaseUrl('pglite://./.tributary/orders').target).toBe('./.tributary/orders');
  });
  it('refuses unknown schemes without leaking passwords', () => {
    expect(() => parseDatabaseUrl('sqlite://x')).toThrow(/Unsupported database scheme "sqlite"/);
    expect(() => parseDatabaseUrl('nonsense')).toThrow(/expected scheme/);
    expect(redactUrl('postgres://user:hunter2@host/db')).toBe('postgres://user:***@host/db');
  });
});

for (const target of testDatabases()) {
  describe(`${target.label}: database`, () => {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await target.create();
      const { db } = handle.database;
      await db.schema
        .createTable('thing')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('amount', 'decimal(18, 3)', (c) => c.notNull().check(sql`amount >= 0`))
        .addColumn('big', 'bigint', (c) => c.notNull())
        .addColumn('parent', 'varchar(36)')
        .addColumn('day', 'date')
        .execute();
      await db.schema
        .createTable('child')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey().references('thing.id'))
        .execute();
    });
    afterAll(async () => handle.destroy());

    it('pings', async () => {
      await expect(handle.database.ping()).resolves.toBeUndefined();
      expect(handle.database.dialect).toBe(target.dialect);
    });

    it('returns numeric and bigint as exact strings', async () => {
      const { db } = handle.database;
      await db.insertInto('thing').values({ id: 'a', amount: '12345678901234.125', big: '9007199254740993' }).execute();
      const row = await db.selectFrom('thing').selectAll().where('id', '=', 'a').executeTakeFirstOrThrow();
      expect(row.amount).toBe('12345678901234.125');
      expect(row.big).toBe('9007199254740993');
      const sum = await db
        .selectFrom('thing')
        .select((eb) => eb.fn.sum<string>('amount').as('total'))
        .executeTakeFirstOrThrow();
      expect(String(sum.total)).toMatch(/^12345678901234\.125/);
    });

    it('returns dates as calendar-day text', async () => {
      const { db } = handle.database;
      await db.insertInto('thing').values({ id: 'd', amount: '1', big: '1', day: '2026-03-31' }).execute();
      const row = await db.selectFrom('thing').select('day').where('id', '=', 'd').executeTakeFirstOrThrow();
      expect(row.day).toBe('2026-03-31');
    });

    it('classifies constraint errors', async () => {
      const { db } = handle.database;
      const unique = await db
        .insertInto('thing')
        .values({ id: 'a', amount: '1', big: '1' })
        .execute()
        .catch((e) => e);
      expect(dbErrorKind(unique)).toBe('unique');
      const check = await db
        .insertInto('thing')
        .values({ id: 'neg', amount: '-1', big: '1' })
        .execute()
        .catch((e) => e);
      expect(dbErrorKind(check)).toBe('check');
      const fk = await db
        .insertInto('child')
        .values({ id: 'missing' })
        .execute()
        .catch((e) => e);
      expect(dbErrorKind(fk)).toBe('foreign_key');
      expect(dbConstraintName(unique)).toBeTruthy();
    });

    it('rolls a failed transaction back', async () => {
      const { db } = handle.database;
      await expect(
        inTransaction(db, async (trx) => {
          await trx.insertInto('thing').values({ id: 'tx', amount: '1', big: '1' }).execute();
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await db.selectFrom('thing').select('id').where('id', '=', 'tx').executeTakeFirst()).toBeUndefined();
      await inTransaction(db, (trx) => trx.insertInto('thing').values({ id: 'tx', amount: '1', big: '1' }).execute());
      expect(await db.selectFrom('thing').select('id').where('id', '=', 'tx').executeTakeFirst()).toEqual({ id: 'tx' });
    });
  });
}
