import { sql, type ColumnType } from 'kysely';
import type { Migration, MigrationContext } from '../migrate/migrate.js';

export const JOB_RUN_TABLE = 'job_run';

/** int8 columns arrive as strings (see db/create.ts) and are written as numbers. */
type Int8 = ColumnType<string, number, number>;
type NullableInt8 = ColumnType<string | null, number | null, number | null>;

export type JobRunStatus = 'running' | 'succeeded' | 'failed';
export type JobTrigger = 'schedule' | 'manual';

/** The kernel's scheduler table in every service database that runs jobs. */
export interface SchedulerTables {
  [JOB_RUN_TABLE]: {
    id: string;
    job: string;
    /** Epoch ms of the period this run is for (a manual run: the instant it was asked for). */
    scheduled_for: Int8;
    trigger: JobTrigger;
    status: JobRunStatus;
    holder: string;
    lease_until: NullableInt8;
    started_at: Int8;
    finished_at: NullableInt8;
    duration_ms: NullableInt8;
    summary: string | null;
    error: string | null;
  };
}

/**
 * One row per run. The unique (job, scheduled_for) is what makes a period run once across
 * replicas: the replica whose insert wins holds the run. Times are UTC epoch ms, like the
 * outbox's.
 */
export const schedulerMigration: Migration = {
  name: '0000_platform_5_scheduler',
  up: async (db, { dialect }: MigrationContext) => {
    const mysql = dialect === 'mysql';
    await db.schema
      .createTable(JOB_RUN_TABLE)
      .ifNotExists()
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('job', 'varchar(100)', (c) => c.notNull())
      .addColumn('scheduled_for', 'bigint', (c) => c.notNull())
      .addColumn('trigger', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('holder', 'varchar(200)', (c) => c.notNull())
      .addColumn('lease_until', 'bigint')
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('duration_ms', 'bigint')
      .addColumn('summary', mysql ? sql`longtext` : 'text')
      .addColumn('error', 'text')
      .addUniqueConstraint('job_run_period', ['job', 'scheduled_for'])
      .execute();
    await db.schema.createIndex('job_run_status').ifNotExists().on(JOB_RUN_TABLE).columns(['status', 'job']).execute();
  },
};
