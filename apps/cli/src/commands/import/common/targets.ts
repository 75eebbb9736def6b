import { resolve } from 'node:path';
import type { Logger } from '@tributary/platform/core';
import { createDatabase, type AnyDatabase } from '@tributary/platform/db';
import { appliedMigrations, migrateToLatest } from '@tributary/platform/migrate';
import { openServiceDatabase, pgliteTemplateOnce } from '../../../databases.js';
import { loadService } from '../../../services.js';
import { CliError } from '../../../cli-error.js';
import { EXIT_CODES } from '@tributary/platform/service';

export interface TargetDatabase {
  service: string;
  database: AnyDatabase;
  /** Migrations not yet applied: --apply runs them first; a dry run only reports them. */
  pending: string[];
}

export interface TargetOptions {
  dataDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Run pending migrations (an --apply); a dry run leaves the database as it is. */
  migrate: boolean;
}

/**
 * A Tributary service database, found as `migrate` and `backup` find it (<SERVICE>_DATABASE_URL
 * or the embedded directory under the data directory), brought to the newest schema when allowed.
 */
export async function openTarget(service: string, options: TargetOptions): Promise<TargetDatabase> {
  const definition = await loadService(service);
  if (!definition) throw new CliError('SERVICE_MISSING', `Service "${service}" is not built in this checkout`, EXIT_CODES.config);
  const template = pgliteTemplateOnce();
  const { database } = await openServiceDatabase(service, resolve(options.dataDir), options.env, options.logger, template);
  try {
    const applied = new Set(await appliedMigrations(database));
    let pending = definition.migrations.map((m) => m.name).filter((name) => !applied.has(name));
    if (options.migrate && pending.length > 0) {
      await migrateToLatest(database, definition.migrations, { logger: options.logger, service });
      pending = [];
    }
    return { service, database, pending };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** An original system's database, only read. An unreachable one is the operator's to fix. */
export async function openSource(name: string, url: string, logger: Logger): Promise<AnyDatabase> {
  let database: AnyDatabase | undefined;
  try {
    database = await createDatabase(url, { logger, poolSize: 2 });
    await database.ping();
    return database;
  } catch (error) {
    await database?.close().catch(() => undefined);
    throw new CliError(
      'SOURCE_UNREACHABLE',
      `The ${name} database did not answer: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_CODES.databaseUnreachable,
    );
  }
}
