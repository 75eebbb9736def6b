import { execFile } from 'node:child_process';
import { access, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type Logger } from '@tributary/platform/core';
import { createDatabase, type Database } from '@tributary/platform/db';
import { DatabaseWaitConfig, waitForDatabase } from '@tributary/platform/service';

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
    dump ??= initialiseTemplate();
    return dump;
  };
}

/**
 * Runs in a child process because initialising a cluster (initdb, then a second Postgres to dump
 * it) leaves some 250 MB in the allocator after it is freed, which a long-running process would
 * carry for its lifetime; a child returns it when it exits.
 */
async function initialiseTemplate(): Promise<Blob> {
  const script = [
    `const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});`,
    'const template = new PGlite();',
    'await template.waitReady;',
    "const blob = await template.dumpDataDir('none');",
    'await template.close();',
    'process.stdout.write(Buffer.from(await blob.arrayBuffer()));',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'buffer',
    maxBuffer: TEMPLATE_MAX_BYTES,
  });
  const template = new Blob([stdout]);
  // PGlite reads a template with `arrayBuffer()`, which copies the whole dump for every
  // directory loaded from it: `up` loads five at once, 5 x 40 MB that stay resident until the
  // next full garbage collection. Each load only reads the dump, so all get the same bytes.
  const whole = stdout.byteOffset === 0 && stdout.byteLength === stdout.buffer.byteLength;
  const bytes = whole ? stdout.buffer : stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.byteLength);
  Object.defineProperty(template, 'arrayBuffer', { value: () => Promise.resolve(bytes) });
  return template;
}

/** An empty cluster dumps to about 40 MB. */
const TEMPLATE_MAX_BYTES = 512 * 1024 * 1024;
