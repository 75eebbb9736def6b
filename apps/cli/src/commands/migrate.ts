import { resolve } from 'node:path';
import type { Logger } from '@tributary/platform/core';
import { migrateToLatest } from '@tributary/platform/migrate';
import { openServiceDatabase, pgliteTemplateOnce } from '../databases.js';
import { loadService, SERVICE_NAMES } from '../services.js';

/** `tributary migrate <service>`: the service's DATABASE_URL (or its embedded directory) to latest. */
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
  const env = { ...options.env };
  if (env.DATABASE_URL && !env[`${name.toUpperCase()}_DATABASE_URL`]) env[`${name.toUpperCase()}_DATABASE_URL`] = env.DATABASE_URL;
  const { database } = await openServiceDatabase(name, resolve(options.dataDir), env, logger, pgliteTemplateOnce());
  try {
    return await migrateToLatest(database, definition.migrations, { logger, service: name });
  } finally {
    await database.close();
  }
}
