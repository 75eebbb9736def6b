import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { access, cp, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type Logger } from '@tributary/platform/core';
import { createDatabase, type Database } from '@tributary/platform/db';
import { DatabaseWaitConfig, EmbeddedDatabaseConfig, waitForDatabase } from '@tributary/platform/service';

const run = promisify(execFile);

export interface OpenedDatabase {
  database: Database;
  /** True when the data directory was just created (seed demo data then). */
  fresh: boolean;
}

/**
 * The first of `variables` that is set (default `<NAME>_DATABASE_URL`) wins, once the server
 * answers (within DATABASE_WAIT_SECONDS); otherwise the service gets its own PGlite directory
 * under the data directory. Initialising a PGlite directory costs seconds; a new directory is
 * instead a copy of one freshly initialised template, which keeps the first start short.
 */
export async function openServiceDatabase(
  name: string,
  dataDir: string,
  env: Record<string, string | undefined>,
  logger: Logger,
  template: () => Promise<string>,
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
  if (fresh) await cp(await template(), dir, { recursive: true });
  const pgliteThread = loadConfig(EmbeddedDatabaseConfig, env).TRIBUTARY_PGLITE_THREADS;
  const database = await createDatabase(`pglite://${dir}`, { logger, pgliteThread });
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

/** Initialises one empty PGlite cluster at most once per process, as a directory to copy. */
export function pgliteTemplateOnce(): () => Promise<string> {
  let directory: Promise<string> | undefined;
  return () => {
    directory ??= initialiseTemplate();
    return directory;
  };
}

/**
 * Runs in a child process because initialising a cluster (initdb, then a second Postgres to dump
 * it) leaves some 250 MB in the allocator after it is freed, which a long-running process would
 * carry for its lifetime; a child returns it when it exits. The child leaves the cluster in a
 * directory, and each new database directory is a copy of it: a dump handed to PGlite instead
 * (about 40 MB) would sit in this process, copied per database, until a full garbage collection.
 */
async function initialiseTemplate(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'tributary-template-'));
  process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  const script = [
    `const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});`,
    `const template = new PGlite(${JSON.stringify(directory)});`,
    'await template.waitReady;',
    'await template.close();',
  ].join('\n');
  await run(process.execPath, ['--input-type=module', '-e', script]);
  return directory;
}
