import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import type { Logger } from '../core/logger.js';
import type { AnyDatabase } from '../db/create.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { asDynamic, asTables, type DynamicSchema } from '../db/schema.js';
import type { DialectName } from '../db/url.js';

export interface MigrationContext {
  dialect: DialectName;
}

/**
 * A forward-only migration. Names sort in the order they run (`0001_orders`, `0002_…`).
 * On MySQL/MariaDB DDL is not transactional: keep each migration small and idempotent
 * (`if not exists`), because a half-applied one cannot roll back.
 */
export interface Migration {
  name: string;
  up(db: Kysely<DynamicSchema>, context: MigrationContext): Promise<void>;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: MigrationResultSet['results'],
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = 'MigrationError';
  }
}

export interface MigrateOptions {
  logger?: Logger;
  /** Service name, for the log. */
  service?: string;
}

export const MIGRATION_TABLE = 'tributary_migration';
export const MIGRATION_LOCK_TABLE = 'tributary_migration_lock';

/**
 * Brings the database up to the newest migration. Kysely's migrator holds a lock while it
 * runs (pg advisory xact lock; MySQL GET_LOCK), so several replicas starting at once apply
 * each migration exactly once. Returns the names applied in this run.
 */
export async function migrateToLatest(
  database: AnyDatabase,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<string[]> {
  assertOrdered(migrations);
  if (await atLatest(database, migrations)) {
    options.logger?.info({ of: options.service }, 'database schema is up to date');
    return [];
  }
  const context: MigrationContext = { dialect: database.dialect };
  const migrator = new Migrator({
    db: asDynamic(database.db),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // Kernel migrations (`0000_platform_<n>_…`) sort before a service's own; one added in a later
    // release must still run on a database whose service migrations already ran. It creates only
    // the kernel's tables, so running it late is safe.
    allowUnorderedMigrations: true,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(migrations.map((migration) => [migration.name, { up: (db) => migration.up(db, context) }])),
    },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const applied = results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  for (const name of applied) options.logger?.info({ of: options.service, migration: name }, 'migration applied');
  if (error) {
    const failing = results.find((result) => result.status === 'Error')?.migrationName;
    if (!failing && isDatabaseUnavailable(error)) {
      // No migration ran: the database went away. That is an operations problem, not a bug to trace.
      const reason = (error as Error).message ?? String(error);
      options.logger?.error({ of: options.service, reason }, 'migrations could not run: the database did not answer');
      throw new MigrationError(`Migrations could not run: the database did not answer (${reason})`, results, error);
    }
    const failed = failing ?? 'unknown';
    options.logger?.error({ of: options.service, migration: failed, err: error }, 'migration failed');
    throw new MigrationError(`Migration ${failed} failed: ${(error as Error).message ?? String(error)}`, results, error);
  }
  if (applied.length === 0) options.logger?.info({ of: options.service }, 'database schema is up to date');
  return applied;
}

/** Names applied so far, in order. */
export async function appliedMigrations(database: AnyDatabase): Promise<string[]> {
  const rows = await asTables<{ [MIGRATION_TABLE]: { name: string } }>(database.db)
    .selectFrom(MIGRATION_TABLE)
    .select('name')
    .orderBy('name')
    .execute()
    .catch(() => [] as { name: string }[]);
  return rows.map((row: { name: string }) => row.name);
}

/**
 * True when exactly the given migrations are applied: one read instead of Kysely's migrator,
 * which introspects every column of every table (twice) and takes its lock before it finds
 * nothing to do, the most expensive part of a restart on an embedded database. Any other
 * state, a missing table included, goes through the migrator, which applies what is pending
 * under its lock and reports applied migrations the code does not know.
 */
async function atLatest(database: AnyDatabase, migrations: readonly Migration[]): Promise<boolean> {
  const applied = await appliedMigrations(database);
  if (migrations.length === 0 || applied.length !== migrations.length) return false;
  const names = new Set(applied);
  return migrations.every((migration) => names.has(migration.name));
}

function assertOrdered(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i - 1]!.name >= migrations[i]!.name) {
      throw new Error(`Migrations must be listed in ascending name order: "${migrations[i - 1]!.name}" before "${migrations[i]!.name}"`);
    }
  }
}
