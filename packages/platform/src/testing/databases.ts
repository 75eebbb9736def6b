import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../db/create.js';
import type { DialectName } from '../db/url.js';

export interface TestDatabase {
  readonly database: Database;
  readonly url: string;
  /** Closes the connection and drops the database (server dialects). */
  destroy(): Promise<void>;
}

export interface TestDatabaseTarget {
  readonly dialect: DialectName;
  /** For test titles: `pglite`, `postgres`, `mariadb`. */
  readonly label: string;
  create(): Promise<TestDatabase>;
}

/**
 * The databases a suite runs on: PGlite always, PostgreSQL and MariaDB when
 * TEST_POSTGRES_URL / TEST_MARIADB_URL are set. Each `create()` gives a fresh, empty database
 * that `destroy()` removes, so test files never see each other's rows.
 */
export function testDatabases(options: { dialects?: DialectName[] } = {}): TestDatabaseTarget[] {
  const wanted = new Set<DialectName>(options.dialects ?? ['pglite', 'postgres', 'mysql']);
  const targets: TestDatabaseTarget[] = [];
  if (wanted.has('pglite')) targets.push(pgliteTarget());
  if (wanted.has('postgres')) {
    const url = process.env.TEST_POSTGRES_URL;
    if (url) targets.push(postgresTarget(url));
    else noteSkipped('PostgreSQL', 'TEST_POSTGRES_URL');
  }
  if (wanted.has('mysql')) {
    const url = process.env.TEST_MARIADB_URL;
    if (url) targets.push(mariadbTarget(url));
    else noteSkipped('MariaDB', 'TEST_MARIADB_URL');
  }
  return targets;
}

export function testRedisUrl(): string | undefined {
  const url = process.env.TEST_REDIS_URL;
  if (!url) noteSkipped('Redis', 'TEST_REDIS_URL');
  return url || undefined;
}

const noted = new Set<string>();
function noteSkipped(server: string, variable: string): void {
  if (noted.has(server)) return;
  noted.add(server);
  process.stderr.write(`[tributary:test] ${server} suites skipped: ${variable} is not set\n`);
}

function uniqueName(): string {
  return `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

function pgliteTarget(): TestDatabaseTarget {
  return {
    dialect: 'pglite',
    label: 'pglite',
    async create() {
      const database = await createDatabase('pglite://memory', { pgliteLoadDataDir: await pgliteTemplate() });
      return { database, url: 'pglite://memory', destroy: () => database.close() };
    },
  };
}

/**
 * `pglite://<path>` for a new PGlite data directory, made from the template (an empty cluster,
 * as initdb leaves it) instead of by initdb, for suites that hand the URL to code that opens it
 * itself. The directory must not hold a database yet.
 */
export async function pgliteDirectoryUrl(path: string): Promise<string> {
  const url = `pglite://${path}`;
  const database = await createDatabase(url, { pgliteLoadDataDir: await pgliteTemplate() });
  await database.close();
  return url;
}

function postgresTarget(adminUrl: string): TestDatabaseTarget {
  return serverTarget('postgres', 'postgres', adminUrl, {
    create: (name) => `create database "${name}"`,
    drop: (name) => `drop database if exists "${name}" with (force)`,
  });
}

function mariadbTarget(adminUrl: string): TestDatabaseTarget {
  return serverTarget('mysql', 'mariadb', adminUrl, {
    create: (name) => `create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`,
    drop: (name) => `drop database if exists \`${name}\``,
  });
}

/** A fresh database on a server per `create()`, made and dropped through the admin URL. */
function serverTarget(
  dialect: DialectName,
  label: string,
  adminUrl: string,
  statements: { create: (name: string) => string; drop: (name: string) => string },
): TestDatabaseTarget {
  const asAdmin = async (statement: string) => {
    const admin = await createDatabase(adminUrl, { poolSize: 1 });
    try {
      await sql.raw(statement).execute(admin.db);
    } finally {
      await admin.close();
    }
  };
  return {
    dialect,
    label,
    async create() {
      const name = uniqueName();
      await asAdmin(statements.create(name));
      const url = withDatabaseName(adminUrl, name);
      const database = await createDatabase(url, { poolSize: 20 });
      return {
        database,
        url,
        async destroy() {
          await database.close();
          await asAdmin(statements.drop(name));
        },
      };
    },
  };
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

let templatePromise: Promise<Blob> | undefined;

/**
 * Initialising a PGlite data directory costs seconds; loading a dump of a fresh one costs
 * about half a second. The dump is made once per machine (cached in the temp directory,
 * keyed by the PGlite version) and once per process in memory.
 */
function pgliteTemplate(): Promise<Blob> {
  templatePromise ??= (async () => {
    const version = await pgliteVersion();
    const dir = join(tmpdir(), 'tributary-test-cache');
    const file = join(dir, `pglite-${version}.tar`);
    try {
      return new Blob([await readFile(file)]);
    } catch {
      const fresh = new PGlite();
      await fresh.waitReady;
      const dump = await fresh.dumpDataDir('none');
      await fresh.close();
      await mkdir(dir, { recursive: true });
      const partial = `${file}.${process.pid}.part`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    }
  })();
  return templatePromise;
}

async function pgliteVersion(): Promise<string> {
  // The package does not export its package.json: walk up from its entry point.
  let dir = dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  for (let depth = 0; depth < 5; depth++) {
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === '@electric-sql/pglite' && manifest.version) return manifest.version;
    } catch {
      // not here; keep walking
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
