import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { access, mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from '@tributary/platform/core';
import { createDatabase, databaseAddress, parseDatabaseUrl, type Database, type DialectName } from '@tributary/platform/db';
import { CliError } from '../cli-error.js';
import { openServiceDatabase, pgliteTemplateOnce } from '../databases.js';
import { SERVICE_NAMES, type ServiceName } from '../services.js';
import { compareInventories, readInventory, totalRows, type DatabaseInventory } from './backup-inventory.js';
import { BACKUP_EXIT_CODES, mariadbDump, pgDump, toolVersion } from './backup-tools.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'tributary-backup/1';

/** Where one service's database is, found the way `tributary up` finds it. */
export interface DatabaseLocation {
  service: ServiceName;
  kind: DialectName;
  url: string;
  /** The variable the URL came from; none for the embedded directory. */
  variable?: string;
  /** The PGlite data directory (embedded mode). */
  dir?: string;
}

export interface ServiceBackup extends DatabaseInventory {
  kind: DialectName;
  /** host:port (or the directory) the backup was taken from; never a password. */
  source: string;
  file: string;
  /** The dump tool's version line (`PGlite` for the embedded mode). */
  tool: string;
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  tributary: string;
  node: string;
  services: Partial<Record<ServiceName, ServiceBackup>>;
  files: Record<string, { bytes: number; sha256: string }>;
}

export interface BackupOptions {
  to: string;
  dataDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  onService?: (service: string, entry: ServiceBackup) => void;
}

// The same file from src/ and dist/: both sit two levels below the package.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function locateDatabase(service: ServiceName, dataDir: string, env: Record<string, string | undefined>): DatabaseLocation {
  const variable = `${service.toUpperCase()}_DATABASE_URL`;
  const url = env[variable];
  if (!url) {
    const dir = resolve(dataDir, service);
    return { service, kind: 'pglite', url: `pglite://${dir}`, dir };
  }
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect === 'pglite' && parsed.target === 'memory') {
    throw new CliError('NOT_BACKED_UP', `${variable} is an in-memory database: there is nothing to back up or restore`, 78);
  }
  return { service, kind: parsed.dialect, url, variable, ...(parsed.dialect === 'pglite' ? { dir: resolve(parsed.target) } : {}) };
}

export const hasDataDir = (dir: string) =>
  access(join(dir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );

/**
 * PGlite takes no lock on its directory: a second process opening it while `tributary up` runs
 * would corrupt it. An open PGlite keeps postmaster.pid in the directory and removes it on close.
 */
export async function assertDirNotInUse(location: DatabaseLocation): Promise<void> {
  if (!location.dir) return;
  const held = await access(join(location.dir, 'postmaster.pid')).then(
    () => true,
    () => false,
  );
  if (!held) return;
  throw new CliError(
    'DATABASE_IN_USE',
    `${location.service}'s embedded database ${location.dir} is open in another process: stop tributary up (Ctrl-C) and run again` +
      ' (if nothing runs, the platform did not stop cleanly: start and stop it once)',
    BACKUP_EXIT_CODES.busy,
  );
}

/** A server database, waited for like `up` waits (DATABASE_WAIT_SECONDS; exit 69 when it does not answer). */
export async function openServerDatabase(
  location: DatabaseLocation,
  dataDir: string,
  env: Record<string, string | undefined>,
  logger: Logger,
) {
  const { database } = await openServiceDatabase(location.service, dataDir, env, logger, pgliteTemplateOnce(), [location.variable!]);
  return database;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const TOOLS: Record<DialectName, { dump: string; restore: string } | undefined> = {
  postgres: { dump: 'pg_dump', restore: 'pg_restore' },
  mysql: { dump: 'mariadb-dump', restore: 'mariadb' },
  pglite: undefined,
};

/**
 * `tributary backup --to <dir>`: every service's database as the services find it
 * (<SERVICE>_DATABASE_URL, else its embedded directory), each consistent in itself, with a
 * manifest that lets `restore` prove the copy whole and the restored data the same.
 */
export async function backupCommand(options: BackupOptions): Promise<BackupManifest> {
  const to = resolve(options.to);
  const dataDir = resolve(options.dataDir);
  if ((await readdir(to).catch(() => [])).length > 0) {
    throw new CliError('BACKUP_DIR_NOT_EMPTY', `${to} is not empty: back up into a new directory`, BACKUP_EXIT_CODES.notEmpty);
  }
  const locations: DatabaseLocation[] = [];
  for (const service of SERVICE_NAMES) {
    const location = locateDatabase(service, dataDir, options.env);
    // An embedded directory that does not exist yet holds nothing (opening it would create an empty cluster).
    if (location.kind !== 'pglite' || (await hasDataDir(location.dir!))) locations.push(location);
  }
  if (locations.length === 0) {
    throw new CliError(
      'NOTHING_TO_BACK_UP',
      `no database found: set <SERVICE>_DATABASE_URL or point --data-dir at the embedded databases (looked in ${dataDir})`,
      78,
    );
  }
  // Every refusal before the first file is written.
  const tools = new Map<DialectName, string>();
  for (const location of locations) {
    const tool = TOOLS[location.kind]?.dump;
    if (tool && !tools.has(location.kind)) tools.set(location.kind, await toolVersion(tool));
    await assertDirNotInUse(location);
  }
  await mkdir(to, { recursive: true, mode: 0o700 });
  const manifest: BackupManifest = {
    format: MANIFEST_FORMAT,
    createdAt: new Date().toISOString(),
    tributary: version,
    node: process.version,
    services: {},
    files: {},
  };
  for (const location of locations) {
    const file = `${location.service}.${{ postgres: 'pgdump', mysql: 'sql.gz', pglite: 'tar.gz' }[location.kind]}`;
    const path = join(to, file);
    const inventory = await dumpOne(location, path, dataDir, options);
    const entry: ServiceBackup = {
      kind: location.kind,
      source: location.dir ?? databaseAddress(location.url),
      file,
      tool: tools.get(location.kind) ?? 'PGlite',
      ...inventory,
    };
    manifest.services[location.service] = entry;
    manifest.files[file] = { bytes: (await stat(path)).size, sha256: await sha256File(path) };
    options.onService?.(location.service, entry);
  }
  // The manifest last: a backup without one did not finish, and restore refuses it.
  const partial = join(to, `${MANIFEST_FILE}.part`);
  await writeFile(partial, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(partial, join(to, MANIFEST_FILE));
  return manifest;
}

async function dumpOne(location: DatabaseLocation, path: string, dataDir: string, options: BackupOptions): Promise<DatabaseInventory> {
  if (location.kind === 'pglite') return dumpEmbedded(location.dir!, path);
  const database = await openServerDatabase(location, dataDir, options.env, options.logger);
  try {
    if (location.kind === 'postgres') {
      // pg_dump reads the snapshot the inventory reads: the manifest describes exactly the dump.
      return (await readInventory(database, async (snapshot) => pgDump(location.url, path, await snapshot()))).inventory;
    }
    return await dumpMariadb(location, database, path);
  } finally {
    await database.close();
  }
}

/**
 * MariaDB cannot share a snapshot with another session, so the inventory is read before and
 * after the dump: when both agree, nothing changed in between and the dump's own snapshot holds
 * the same data. Writes during the dump mean another attempt.
 */
async function dumpMariadb(location: DatabaseLocation, database: Database, path: string): Promise<DatabaseInventory> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const before = (await readInventory(database)).inventory;
    await mariadbDump(location.url, path);
    const after = (await readInventory(database)).inventory;
    if (compareInventories(before, after).length === 0) return after;
  }
  throw new CliError(
    'DATABASE_CHANGED',
    `${location.service}'s database kept changing during the backup (3 attempts): run it when writes are quiet, or use binlog-based backups (docs/operations.md)`,
    BACKUP_EXIT_CODES.busy,
  );
}

/**
 * The directory as PGlite itself dumps it (a tarball its loadDataDir takes back), and the
 * inventory read from that tarball loaded in memory, so the manifest describes the file.
 */
async function dumpEmbedded(dir: string, path: string): Promise<DatabaseInventory> {
  const client = new PGlite({ dataDir: dir });
  let tar: Blob;
  try {
    await client.waitReady;
    tar = await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
  await writeFile(path, gzipSync(Buffer.from(await tar.arrayBuffer())), { mode: 0o600 });
  const copy = await createDatabase('pglite://memory', { pgliteLoadDataDir: tar });
  try {
    return (await readInventory(copy)).inventory;
  } finally {
    await copy.close();
  }
}

export function formatBackupSummary(to: string, manifest: BackupManifest): string {
  const lines = [`Backup in ${resolve(to)} (${manifest.createdAt}):`];
  for (const [service, entry] of Object.entries(manifest.services)) {
    lines.push(
      `  ${service.padEnd(11)} ${entry.kind.padEnd(8)} ${String(Object.keys(entry.tables).length).padStart(4)} tables ${String(totalRows(entry)).padStart(9)} rows  migration ${entry.migrations.at(-1) ?? 'none'}  ${entry.file}`,
    );
  }
  const skipped = SERVICE_NAMES.filter((name) => !manifest.services[name]);
  if (skipped.length > 0) lines.push(`  not configured here: ${skipped.join(', ')}`);
  lines.push('Keep keyring.json and master-keys.json in a separate place: the backup does not hold them.');
  return `${lines.join('\n')}\n`;
}
