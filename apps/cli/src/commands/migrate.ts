import { resolve } from 'node:path';
import type { Logger } from '@tributary/platform/core';
import { migrateToLatest } from '@tributary/platform/migrate';
import { openServiceDatabase, pgliteTemplateOnce } from '../databases.js';
import { loadService, SERVICE_NAMES } from '../services.js';

/**
 * `tributary migrate <service>`: DATABASE_URL, else `<SERVICE>_DATABASE_URL`, else the embedded
 * directory, to latest. DATABASE_URL first so a release job can run with the service's own env.
 */
export async function migrateCommand(
  name: string,
  options: { dataDir: string; env: Record<string, string | undefined> },
  logger: Logger,
): Promise<string[]> {
  if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
    throw new Error(`Unknown service "${name}" (one of: ${SERVICE_NAMES.join(', ')})`);
  }
  const definition = await loadService(name);
  if (!definition) throw new Error(`Service "${name}" is not built in this checkout yet`);
  const { database } = await openServiceDatabase(name, resolve(options.dataDir), options.env, logger, pgliteTemplateOnce(), [
    'DATABASE_URL',
    `${name.toUpperCase()}_DATABASE_URL`,
  ]);
  try {
    return await migrateToLatest(database, definition.migrations, { logger, service: name });
  } finally {
    await database.close();
  }
}
