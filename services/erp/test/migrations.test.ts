import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedMigrations, migrateToLatest } from '@tributary/platform/migrate';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { migrations } from '../src/db/migrations/index.js';

for (const target of testDatabases()) {
  describe(`${target.label}: erp migrations`, () => {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await target.create();
    });
    afterAll(async () => handle.destroy());

    it('apply, and every migration can run again on its own result (MariaDB DDL is not transactional)', async () => {
      // Each right after it ran: a later migration may reshape what an earlier one made (0010 partitions 0003's ledger).
      for (const [index, migration] of migrations.entries()) {
        await migrateToLatest(handle.database, migrations.slice(0, index + 1));
        await migration.up(handle.database.db, { dialect: handle.database.dialect });
      }
      expect(await appliedMigrations(handle.database)).toEqual(migrations.map((m) => m.name));
    });
  });
}
