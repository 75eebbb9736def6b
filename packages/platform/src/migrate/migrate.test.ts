import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { appliedMigrations, migrateToLatest, type Migration } from './migrate.js';

const first: Migration = {
  name: '0001_widget',
  up: async (db) => {
    await db.schema
      .createTable('widget')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
  },
};
const second: Migration = {
  name: '0002_widget_name',
  up: async (db, { dialect }) => {
    await db.schema
      .alterTable('widget')
      .addColumn('name', dialect === 'mysql' ? 'varchar(100)' : 'text')
      .execute();
  },
};
const broken: Migration = {
  name: '0003_broken',
  up: async (db) => {
    await sql`this is not sql`.execute(db);
  },
};

for (const target of testDatabases()) {
  describe(`${target.label}: migrate`, () => {
    const third: Migration = {
      name: '0003_counter',
      up: async (db) => {
        await db.schema
          .createTable('counter')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .execute();
        await db.insertInto('counter').values({ id: 1 }).execute();
      },
    };
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await target.create();
    });
    afterAll(async () => handle.destroy());

    it('applies pending migrations once, in order', async () => {
      expect(await migrateToLatest(handle.database, [first])).toEqual(['0001_widget']);
      expect(await migrateToLatest(handle.database, [first, second])).toEqual(['0002_widget_name']);
      expect(await migrateToLatest(handle.database, [first, second])).toEqual([]);
      expect(await appliedMigrations(handle.database)).toEqual(['0001_widget', '0002_widget_name']);
      await handle.database.db.insertInto('widget').values({ id: 1, name: 'ok' }).execute();
    });

    it('runs concurrent migrators without applying anything twice', async () => {
      const runs = await Promise.all([1, 2, 3].map(() => migrateToLatest(handle.database, [first, second, third])));
      expect(runs.flat()).toEqual(['0003_counter']);
      const rows = await handle.database.db.selectFrom('counter').selectAll().execute();
      expect(rows).toHaveLength(1);
    });

    it('reports a failing migration by name and keeps earlier ones', async () => {
      await expect(migrateToLatest(handle.database, [first, second, third, { ...broken, name: '0004_broken' }])).rejects.toThrow(
        /Migration 0004_broken failed/,
      );
      expect(await appliedMigrations(handle.database)).not.toContain('0004_broken');
    });

    it('still reports an applied migration the code does not know', async () => {
      await expect(migrateToLatest(handle.database, [first, second])).rejects.toThrow(/0003_counter/);
    });

    it('refuses out-of-order lists', async () => {
      await expect(migrateToLatest(handle.database, [second, first])).rejects.toThrow(/ascending/);
    });
  });
}
