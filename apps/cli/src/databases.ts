import { access, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig, type Logger } from '@tributary/platform/core';
import { createDatabase, type Database } from '@tributary/platform/db';
import { DatabaseWaitConfig, waitForDatabase } from '@tributary/platform/service';

export interface OpenedDatabase {
  database: Database;
  /** True when the data directory was just created (seed demo data then). */
  fresh: boolean;
}

/**
 * The first of `variables` that is set (default `<NAME>_DATABASE_URL`) wins, once the server
 * answers (within DATABASE_WAIT_SECONDS); otherwise the service gets its own PGlite directory
 * under the data directory. Initialising a PGlite directory costs seconds; a new directory is
 * instead loaded from one freshly initialised template, which keeps the first start short.
 */
export async function openServiceDatabase(
  name: string,
  dataDir: string,
  env: Record<string, string | undefined>,
  logger: Logger,
  template: () => Promise<Blob>,
  variables: readonly string[] = [`${name.toUpperCase()}_DATABASE_URL`],
): Promise<OpenedDatabase> {
  const variable = variables.find((candidate) => env[candidate]);
  if (variable) {
    const url = env[variable]!;
    const seconds = loadConfig(DatabaseWaitConfig, env).DATABASE_WAIT_SECONDS;
    const database = await createDatabase(url, { logger });
    try {
      await waitForDatabase(database, { service: name, url, variable, seconds, logger });
    } catch (error) {
      await database.close().catch(() => undefined);
      throw error;
    }
    return { database, fresh: false };
  }
  const dir = resolve(dataDir, name);
  const fresh = !(await hasData(dir));
  await mkdir(dir, { recursive: true });
  const database = await createDatabase(`pglite://${dir}`, { logger, ...(fresh ? { pgliteLoadDataDir: await template() } : {}) });
  return { database, fresh };
}

async function hasData(dir: string): Promise<boolean> {
  try {
    await access(join(dir, 'PG_VERSION'));
    return (await readdir(dir)).length > 0;
  } catch {
    return false;
  }
}

/** Initialises one empty PGlite cluster at most once per process and dumps it. */
export function pgliteTemplateOnce(): () => Promise<Blob> {
  let dump: Promise<Blob> | undefined;
  return () => {
    dump ??= (async () => {
      const template = new PGlite();
      await template.waitReady;
      const blob = await template.dumpDataDir('none');
      await template.close();
      return blob;
    })();
    return dump;
  };
}
