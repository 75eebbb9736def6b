import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDynamic } from '../db/schema.js';
import { idempotencyMigration } from '../idempotency/migration.js';
import { appliedMigrations, migrateToLatest, type Migration } from '../migrate/migrate.js';
import { outboxMigrations } from '../outbox/index.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { importLogMigration } from './migration.js';
import {
  finishImportRun,
  importFindings,
  importRuns,
  logImportFindings,
  resumeImportRun,
  saveImportCheckpoint,
  startImportRun,
  unfinishedImportRun,
} from './store.js';

/** Stands for a service's own first migration, already applied before the import log existed. */
const serviceMigration: Migration = {
  name: '0001_service_tables',
  up: async (db) => {
    await db.schema
      .createTable('widget')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
  },
};

for (const target of testDatabases()) {
  describe(`${target.label}: import log`, () => {
    let handle: TestDatabase;

    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, [...outboxMigrations, idempotencyMigration, serviceMigration]);
    });
    afterAll(async () => {
      await handle.destroy();
    });

    it('is added to a database whose later service migrations already ran', async () => {
      const applied = await migrateToLatest(handle.database, [
        ...outboxMigrations,
        idempotencyMigration,
        importLogMigration,
        serviceMigration,
      ]);
      expect(applied).toEqual(['0000_platform_6_import_log']);
      expect(await appliedMigrations(handle.database)).toContain('0000_platform_6_import_log');
      const again = await migrateToLatest(handle.database, [
        ...outboxMigrations,
        idempotencyMigration,
        importLogMigration,
        serviceMigration,
      ]);
      expect(again).toEqual([]);
    });

    it('keeps a checkpoint per run and finds the unfinished one to resume', async () => {
      const db = handle.database.db;
      const run = await startImportRun(db, 'mtp', 'apply', 1_000);
      await saveImportCheckpoint(db, run.id, { tealine_record: { lastKey: 'b-42', done: false } });
      const open = await unfinishedImportRun(db, 'mtp');
      expect(open?.id).toBe(run.id);
      expect(open?.checkpoint).toEqual({ tealine_record: { lastKey: 'b-42', done: false } });
      expect(await unfinishedImportRun(db, 'harsha')).toBeUndefined();

      await finishImportRun(db, run.id, 'failed', { reason: 'x' }, 2_000);
      expect((await unfinishedImportRun(db, 'mtp'))?.status).toBe('failed');
      await resumeImportRun(db, run.id);
      await finishImportRun(db, run.id, 'finished', { rows: 3 }, 3_000);
      expect(await unfinishedImportRun(db, 'mtp')).toBeUndefined();
      const [stored] = await importRuns(db, 'mtp');
      expect(stored).toMatchObject({ id: run.id, status: 'finished', finishedAt: 3_000, summary: { rows: 3 } });
    });

    it('logs each finding once per source, table, key and fault across runs', async () => {
      const db = handle.database.db;
      const first = await startImportRun(db, 'mtp', 'apply', 4_000);
      const finding = {
        sourceTable: 'tealine_allocate_shipment',
        sourceKey: 'b-1/7/1',
        fault: 'over_allocated_bag',
        decision: 'quarantined' as const,
        detail: { row: { amount: '12.50' } },
      };
      expect(await logImportFindings(db, handle.database.dialect, first, [finding, { ...finding, fault: 'orphan' }], 4_000)).toBe(2);
      const second = await startImportRun(db, 'mtp', 'apply', 5_000);
      expect(await logImportFindings(db, handle.database.dialect, second, [finding], 5_000)).toBe(0);
      const logged = await importFindings(db, 'mtp');
      expect(logged.map((f) => [f.fault, f.runId])).toEqual([
        ['orphan', first.id],
        ['over_allocated_bag', first.id],
      ]);
      expect(logged[1]!.detail).toEqual({ row: { amount: '12.50' } });
    });

    it('refuses a decision outside fixed, quarantined and refused', async () => {
      const run = await startImportRun(handle.database.db, 'harsha', 'apply');
      await expect(
        sql`insert into import_log (run_id, source, source_table, source_key, fault, decision, detail, created_at)
            values (${run.id}, 'harsha', 't', 'k', 'f', 'ignored', '{}', 1)`.execute(asDynamic(handle.database.db)),
      ).rejects.toThrow();
    });
  });
}
