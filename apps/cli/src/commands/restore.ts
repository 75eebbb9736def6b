import { readFile, rename, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Logger } from '@tributary/platform/core';
import { createDatabase, sql, type Database } from '@tributary/platform/db';
import { appliedMigrations, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from '@tributary/platform/migrate';
import { listTables } from '@tributary/platform/privacy';
import { CliError } from '../cli-error.js';
import { SERVICE_NAMES, type ServiceName } from '../services.js';
import {
  assertDirNotInUse,
  hasDataDir,
  locateDatabase,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  openServerDatabase,
  sha256File,
  TOOLS,
  type BackupManifest,
  type DatabaseLocation,
  type ServiceBackup,
} from './backup.js';
import { compareInventories, readInventory, totalRows } from './backup-inventory.js';
import { BACKUP_EXIT_CODES, mariadbRestore, pgRestore, toolVersion } from './backup-tools.js';

export interface RestoreOptions {
  from: string;
  /** Only these services (default: every service in the backup). */
  services?: string[];
  /** Replace a database that already holds tables. */
  force?: boolean;
  dataDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
}

export interface RestoredService {
  service: string;
  kind: string;
  target: string;
  tables: number;
  rows: number;
  migration: string | null;
  /** Ways the restored database differs from the manifest (empty: verified). */
  differences: string[];
  /** Where a replaced embedded directory was moved (--force). */
  movedAside?: string;
}

export interface RestoreReport {
  from: string;
  createdAt: string;
  services: RestoredService[];
}

const refuse = (code: string, message: string) => new CliError(code, message, BACKUP_EXIT_CODES.checksumMismatch);

/** The manifest, and every file it names for `services` matching its size and sha256. */
export async function verifyBackup(from: string, services?: string[]): Promise<{ manifest: BackupManifest; selected: ServiceName[] }> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(join(from, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch {
    throw refuse('NOT_A_BACKUP', `${from} has no readable ${MANIFEST_FILE}: not a backup, or the backup did not finish`);
  }
  if (manifest.format !== MANIFEST_FORMAT || typeof manifest.services !== 'object' || typeof manifest.files !== 'object') {
    throw refuse('NOT_A_BACKUP', `${join(from, MANIFEST_FILE)} is not a ${MANIFEST_FORMAT} manifest`);
  }
  const present = SERVICE_NAMES.filter((name) => manifest.services[name]);
  for (const name of services ?? []) {
    if (!present.includes(name as ServiceName)) {
      throw new CliError('NOT_IN_BACKUP', `"${name}" is not in this backup (it holds: ${present.join(', ')})`, 64);
    }
  }
  const selected = services ? present.filter((name) => services.includes(name)) : present;
  const bad: string[] = [];
  for (const name of selected) {
    const file = manifest.services[name]!.file;
    const expected = manifest.files[file];
    const path = join(from, file);
    const size = await stat(path).then(
      (s) => s.size,
      () => undefined,
    );
    if (!expected || size === undefined) bad.push(`${file} missing`);
    else if (size !== expected.bytes || (await sha256File(path)) !== expected.sha256) bad.push(`${file} does not match its checksum`);
  }
  if (bad.length > 0) throw refuse('CHECKSUM_MISMATCH', `backup ${from} is damaged or incomplete: ${bad.join('; ')}; nothing was restored`);
  return { manifest, selected };
}

interface Target {
  location: DatabaseLocation;
  entry: ServiceBackup;
  database?: Database;
  empty: boolean;
}

/**
 * `tributary restore --from <dir>`: checks every file against the manifest, then that each
 * target is the kind of database the backup came from and empty (unless `force`), before it
 * touches any; restores each, then reads it back and compares counts, table digests and the
 * migration level with the manifest.
 */
export async function restoreCommand(options: RestoreOptions): Promise<RestoreReport> {
  const from = resolve(options.from);
  const dataDir = resolve(options.dataDir);
  const { manifest, selected } = await verifyBackup(from, options.services);
  const targets: Target[] = [];
  try {
    for (const service of selected) {
      const entry = manifest.services[service]!;
      const location = locateDatabase(service, dataDir, options.env);
      if (location.kind !== entry.kind) {
        const where = location.variable ?? `the embedded directory ${location.dir}`;
        throw new CliError('KIND_MISMATCH', `${service}'s backup is ${entry.kind} but ${where} is ${location.kind}`, 78);
      }
      const tool = TOOLS[location.kind]?.restore;
      if (tool) await toolVersion(tool);
      targets.push(await inspect(location, entry, dataDir, options));
    }
    const occupied = targets.filter((t) => !t.empty);
    if (occupied.length > 0 && !options.force) {
      throw new CliError(
        'TARGET_NOT_EMPTY',
        `not restored: ${occupied.map((t) => `${t.location.service} (${t.location.dir ?? t.location.variable})`).join(', ')} already hold(s) data; pass --force to replace it`,
        BACKUP_EXIT_CODES.notEmpty,
      );
    }
    const restored: RestoredService[] = [];
    for (const target of targets) restored.push(await restoreOne(target, from));
    return { from, createdAt: manifest.createdAt, services: restored };
  } finally {
    await Promise.allSettled(targets.map((t) => t.database?.close()));
  }
}

async function inspect(location: DatabaseLocation, entry: ServiceBackup, dataDir: string, options: RestoreOptions): Promise<Target> {
  if (location.kind === 'pglite') {
    await assertDirNotInUse(location);
    return { location, entry, empty: !(await hasDataDir(location.dir!)) };
  }
  const database = await openServerDatabase(location, dataDir, options.env, options.logger);
  const tables = await listTables(database.db, database.dialect);
  const empty = tables.length === 0 && (await appliedMigrations(database)).length === 0;
  return { location, entry, database, empty };
}

async function restoreOne(target: Target, from: string): Promise<RestoredService> {
  const { location, entry } = target;
  const file = join(from, entry.file);
  let movedAside: string | undefined;
  let restored: Database;
  if (location.kind === 'pglite') {
    const dir = location.dir!;
    if (!target.empty) {
      // Moved, not deleted: a forced restore over the wrong directory can still be undone.
      movedAside = `${dir}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(dir, movedAside);
    }
    await mkdir(dirname(dir), { recursive: true });
    const tar = new Blob([gunzipSync(await readFile(file))]);
    restored = await createDatabase(location.url, { pgliteLoadDataDir: tar });
  } else {
    restored = target.database!;
    if (!target.empty) await dropTables(restored);
    if (location.kind === 'postgres') await pgRestore(location.url, file, !target.empty);
    else await mariadbRestore(location.url, file);
  }
  try {
    const { inventory } = await readInventory(restored);
    return {
      service: location.service,
      kind: location.kind,
      target: location.dir ?? restored.displayUrl,
      tables: Object.keys(inventory.tables).length,
      rows: totalRows(inventory),
      migration: inventory.migrations.at(-1) ?? null,
      differences: compareInventories(entry, inventory),
      ...(movedAside ? { movedAside } : {}),
    };
  } finally {
    if (location.kind === 'pglite') await restored.close();
  }
}

/** --force on a server: every table of the service goes first, so none the backup lacks survives. */
async function dropTables(database: Database): Promise<void> {
  const tables = [...(await listTables(database.db, database.dialect)), MIGRATION_TABLE, MIGRATION_LOCK_TABLE];
  await database.db.connection().execute(async (connection) => {
    if (database.dialect === 'mysql') await sql`set foreign_key_checks = 0`.execute(connection);
    for (const table of tables) {
      await sql`drop table if exists ${sql.table(table)} ${database.dialect === 'mysql' ? sql`` : sql`cascade`}`.execute(connection);
    }
    if (database.dialect === 'mysql') await sql`set foreign_key_checks = 1`.execute(connection);
  });
}

export function formatRestoreSummary(report: RestoreReport): string {
  const lines = [`Restored from ${report.from} (backup of ${report.createdAt}):`];
  for (const s of report.services) {
    const state = s.differences.length === 0 ? 'verified' : `${s.differences.length} difference(s)`;
    lines.push(
      `  ${s.service.padEnd(11)} ${s.kind.padEnd(8)} ${String(s.tables).padStart(4)} tables ${String(s.rows).padStart(9)} rows  migration ${s.migration ?? 'none'}  ${state}`,
    );
    for (const d of s.differences) lines.push(`    ${d}`);
    if (s.movedAside) lines.push(`    the replaced directory is kept at ${s.movedAside}`);
  }
  return `${lines.join('\n')}\n`;
}
