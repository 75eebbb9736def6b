import { sql, type AnyKysely, type Database } from '@tributary/platform/db';
import { appliedMigrations } from '@tributary/platform/migrate';
import { listTables, tableColumns } from '@tributary/platform/privacy';

export interface TableSummary {
  rows: number;
  /** sha256 over the sha256 of every row's text, the row digests in sorted order. */
  sha256: string;
}

/** What a backup says a database holds, and what a restore checks it against. */
export interface DatabaseInventory {
  server: string;
  /** Migrations applied, in order: the last one is the database's level. */
  migrations: string[];
  tables: Record<string, TableSummary>;
}

/**
 * Reads the inventory in one read-only repeatable-read transaction, so every table is seen at
 * the same moment. `during` runs inside that transaction (a PostgreSQL dump of the same
 * snapshot). The row text is fixed by pinning the session settings that change how values print,
 * so a restore on another server or client gives the same digests.
 */
export async function readInventory<T = undefined>(
  database: Database,
  during?: (snapshot: () => Promise<string>) => Promise<T>,
): Promise<{ inventory: DatabaseInventory; during: T | undefined }> {
  return database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const mysql = database.dialect === 'mysql';
      if (mysql) {
        await sql`set session time_zone = '+00:00', group_concat_max_len = 4294967295`.execute(trx);
      } else {
        await sql`set local timezone = 'UTC'`.execute(trx);
        await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
        await sql`set local intervalstyle = 'postgres'`.execute(trx);
        await sql`set local extra_float_digits = 1`.execute(trx);
        await sql`set local bytea_output = 'hex'`.execute(trx);
      }
      const snapshot = async () => (await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx)).rows[0]!.id;
      const result = during ? await during(snapshot) : undefined;
      const server = (await sql<{ version: string }>`select version() as version`.execute(trx)).rows[0]!.version;
      const migrations = await appliedMigrations({ ...database, db: trx });
      const tables: Record<string, TableSummary> = {};
      for (const table of (await listTables(trx, database.dialect)).sort()) {
        tables[table] = mysql ? await mariadbTable(trx, table) : await postgresTable(trx, table);
      }
      return { inventory: { server, migrations, tables }, during: result };
    });
}

async function postgresTable(trx: AnyKysely, table: string): Promise<TableSummary> {
  const { rows } = await sql<{ n: string; sha: string }>`
    select count(*) as n, encode(sha256(convert_to(coalesce(string_agg(h, '' order by h), ''), 'UTF8')), 'hex') as sha
    from (select encode(sha256(convert_to(t::text, 'UTF8')), 'hex') as h from ${sql.table(table)} as t) as d`.execute(trx);
  return { rows: Number(rows[0]!.n), sha256: rows[0]!.sha };
}

/** MariaDB has no row-to-text cast: quote() of each column, in column order, stands for the row. */
async function mariadbTable(trx: AnyKysely, table: string): Promise<TableSummary> {
  const columns = await tableColumns(trx, 'mysql', table);
  const row = sql.join(
    columns.map((c) => sql`quote(${sql.ref(c.name)})`),
    sql`, `,
  );
  const { rows } = await sql<{ n: string | number; sha: string }>`
    select count(*) as n, sha2(coalesce(group_concat(h order by h separator ''), ''), 256) as sha
    from (select sha2(concat_ws(',', ${row}), 256) as h from ${sql.table(table)}) as d`.execute(trx);
  return { rows: Number(rows[0]!.n), sha256: rows[0]!.sha };
}

/** Every way `actual` differs from `expected`, one line each (empty: the same). */
export function compareInventories(expected: DatabaseInventory, actual: DatabaseInventory): string[] {
  const differences: string[] = [];
  const level = (m: string[]) => `${m.length} (${m.at(-1) ?? 'none'})`;
  if (expected.migrations.join('\n') !== actual.migrations.join('\n')) {
    differences.push(`migrations: expected ${level(expected.migrations)}, found ${level(actual.migrations)}`);
  }
  const names = [...new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)])].sort();
  for (const name of names) {
    const want = expected.tables[name];
    const got = actual.tables[name];
    if (!want) differences.push(`${name}: not in the backup`);
    else if (!got) differences.push(`${name}: missing`);
    else if (want.rows !== got.rows) differences.push(`${name}: expected ${want.rows} rows, found ${got.rows}`);
    else if (want.sha256 !== got.sha256) differences.push(`${name}: same ${got.rows} rows, different content`);
  }
  return differences;
}

export const totalRows = (inventory: DatabaseInventory) => Object.values(inventory.tables).reduce((sum, t) => sum + t.rows, 0);
