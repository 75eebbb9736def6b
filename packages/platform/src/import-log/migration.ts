import { sql, type ColumnType } from 'kysely';
import type { Migration, MigrationContext } from '../migrate/migrate.js';

export const IMPORT_RUN_TABLE = 'import_run';
export const IMPORT_LOG_TABLE = 'import_log';

export type ImportSource = 'mtp' | 'harsha';
export type ImportMode = 'dry-run' | 'apply';
export type ImportRunStatus = 'running' | 'finished' | 'failed';
export type ImportDecision = 'fixed' | 'quarantined' | 'refused';

/** int8 columns arrive as strings (see db/create.ts) and are written as numbers or strings. */
type Int8 = ColumnType<string, string | number, string | number>;

/** The import tables as the kernel reads and writes them, in every service database. */
export interface ImportLogTables {
  [IMPORT_RUN_TABLE]: {
    id: string;
    source: ImportSource;
    mode: ImportMode;
    started_at: Int8;
    finished_at: ColumnType<string | null, string | number | null, string | number | null>;
    status: ImportRunStatus;
    checkpoint: string;
    summary: string | null;
  };
  [IMPORT_LOG_TABLE]: {
    id: ColumnType<string, never, never>;
    run_id: string;
    source: ImportSource;
    source_table: string;
    source_key: string;
    fault: string;
    decision: ImportDecision;
    detail: string;
    created_at: Int8;
  };
}

/**
 * Where imports from the original systems keep their runs (checkpoint and summary as JSON text,
 * readable the same way on PostgreSQL and MariaDB) and what they found row by row. The unique key
 * without the run lets a re-run or a resumed run log each finding once.
 */
export const importLogMigration: Migration = {
  name: '0000_platform_6_import_log',
  up: async (db, { dialect }: MigrationContext) => {
    const mysql = dialect === 'mysql';
    const longText = mysql ? sql`longtext` : 'text';
    await db.schema
      .createTable(IMPORT_RUN_TABLE)
      .ifNotExists()
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('source', 'varchar(32)', (c) => c.notNull())
      .addColumn('mode', 'varchar(16)', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('checkpoint', longText, (c) => c.notNull())
      .addColumn('summary', longText)
      .addCheckConstraint('import_run_source_check', sql`source in ('mtp', 'harsha')`)
      .addCheckConstraint('import_run_mode_check', sql`mode in ('dry-run', 'apply')`)
      .addCheckConstraint('import_run_status_check', sql`status in ('running', 'finished', 'failed')`)
      .execute();
    await db.schema.createIndex('import_run_source_idx').ifNotExists().on(IMPORT_RUN_TABLE).columns(['source', 'started_at']).execute();
    await db.schema
      .createTable(IMPORT_LOG_TABLE)
      .ifNotExists()
      .addColumn('id', mysql ? 'bigint' : 'bigserial', (c) => (mysql ? c.autoIncrement().primaryKey() : c.primaryKey()))
      .addColumn('run_id', 'varchar(36)', (c) => c.notNull().references(`${IMPORT_RUN_TABLE}.id`))
      .addColumn('source', 'varchar(32)', (c) => c.notNull())
      .addColumn('source_table', 'varchar(128)', (c) => c.notNull())
      .addColumn('source_key', 'varchar(255)', (c) => c.notNull())
      .addColumn('fault', 'varchar(64)', (c) => c.notNull())
      .addColumn('decision', 'varchar(16)', (c) => c.notNull())
      .addColumn('detail', longText, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('import_log_finding_key', ['source', 'source_table', 'source_key', 'fault'])
      .addCheckConstraint('import_log_decision_check', sql`decision in ('fixed', 'quarantined', 'refused')`)
      .execute();
    await db.schema.createIndex('import_log_run_idx').ifNotExists().on(IMPORT_LOG_TABLE).column('run_id').execute();
  },
};
