import { sql, type Kysely } from 'kysely';
import type { DialectName, DynamicSchema } from '@tributary/platform/db';

/**
 * Monthly range partitions (ADR 0309) of the two logs that only ever grow: the batch ledger and
 * the pricing rule application log. Months are UTC calendar months, as the times are stored.
 * PostgreSQL/PGlite: one partition per month named `<table>_pYYYYMM` and a DEFAULT partition
 * that catches a row no month was made for. MariaDB: `RANGE COLUMNS` partitions `pYYYYMM`
 * (each holds the rows below its month's end) and `pmax` below MAXVALUE, split as months are
 * added. The partition DDL of both the migration and maintenance lives here.
 */
export const PARTITIONED = {
  ledger: { table: 'tabHD Batch Movement', column: 'movement_date' },
  pricingLog: { table: 'tabHD Pricing Rule Application', column: 'application_date' },
} as const;
export type PartitionedTable = (typeof PARTITIONED)[keyof typeof PARTITIONED];

// Catalog queries and DDL name their tables at run time.
type Db = Kysely<DynamicSchema>;

/** Months as comparable numbers (year × 12 + month, January = 0), UTC. */
export const monthOf = (at: Date): number => at.getUTCFullYear() * 12 + at.getUTCMonth();
export const monthStart = (month: number): Date => new Date(Date.UTC(Math.floor(month / 12), month % 12, 1));
/** `2026-03`, as reports and the maintenance answer show a month. */
export const monthLabel = (month: number): string => monthStart(month).toISOString().slice(0, 7);
const suffix = (month: number): string => monthLabel(month).replace('-', '');
const bound = (month: number) => sql.lit(monthStart(month).toISOString().slice(0, 19).replace('T', ' '));

const pgPartition = (t: PartitionedTable, month: number) => `${t.table}_p${suffix(month)}`;
const pgDefault = (t: PartitionedTable) => `${t.table}_pdefault`;
const MONTH_NAME = /_?p(\d{4})(\d{2})$/;

function parseMonth(name: string): number | undefined {
  const match = MONTH_NAME.exec(name);
  return match ? Number(match[1]) * 12 + Number(match[2]) - 1 : undefined;
}

async function pgPartitions(db: Db, t: PartitionedTable): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = ${t.table} and p.relnamespace = (select oid from pg_namespace where nspname = current_schema())`.execute(db);
  return rows.rows.map((r) => r.name);
}

async function mariaPartitions(db: Db, t: PartitionedTable): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    select partition_name as name from information_schema.partitions
    where table_schema = database() and table_name = ${t.table} and partition_name is not null`.execute(db);
  return rows.rows.map((r) => r.name);
}

export async function isPartitioned(db: Db, dialect: DialectName, t: PartitionedTable): Promise<boolean> {
  if (dialect === 'mysql') return (await mariaPartitions(db, t)).length > 0;
  const rows = await sql<{ kind: string }>`
    select relkind as kind from pg_class
    where relname = ${t.table} and relnamespace = (select oid from pg_namespace where nspname = current_schema())`.execute(db);
  return rows.rows[0]?.kind === 'p';
}

/** The months that have their own partition, oldest first. */
export async function partitionMonths(db: Db, dialect: DialectName, t: PartitionedTable): Promise<number[]> {
  const names = dialect === 'mysql' ? await mariaPartitions(db, t) : await pgPartitions(db, t);
  return names
    .map(parseMonth)
    .filter((m): m is number => m !== undefined)
    .sort((a, b) => a - b);
}

/** The first and last month holding rows, if any (the migration partitions exactly that span). */
export async function monthsWithRows(db: Db, table: string, column: string): Promise<{ first: number; last: number } | undefined> {
  const row = await sql<{ first: Date | string | null; last: Date | string | null }>`
    select min(${sql.ref(column)}) as ${sql.ref('first')}, max(${sql.ref(column)}) as ${sql.ref('last')} from ${sql.table(table)}`.execute(
    db,
  );
  const { first, last } = row.rows[0] ?? { first: null, last: null };
  if (first === null || last === null) return undefined;
  return { first: monthOf(new Date(first)), last: monthOf(new Date(last)) };
}

/**
 * PostgreSQL: the partitioned table, its months over the span, and the DEFAULT partition. The
 * caller has created `table` with LIKE from the old one; rows are copied in afterwards.
 */
export async function pgCreatePartitions(db: Db, t: PartitionedTable, months: readonly number[]): Promise<void> {
  for (const month of months) await pgCreateMonth(db, t, month);
  await sql`create table if not exists ${sql.table(pgDefault(t))} partition of ${sql.table(t.table)} default`.execute(db);
}

async function pgCreateMonth(db: Db, t: PartitionedTable, month: number): Promise<void> {
  await sql`create table if not exists ${sql.table(pgPartition(t, month))} partition of ${sql.table(t.table)}
    for values from (${bound(month)}) to (${bound(month + 1)})`.execute(db);
}

/** MariaDB: partitions the existing table in place (the rows stay), months over the span and `pmax`. */
export async function mariaPartitionTable(db: Db, t: PartitionedTable, months: readonly number[]): Promise<void> {
  const parts = months.map((m) => sql`partition ${sql.id(`p${suffix(m)}`)} values less than (${bound(m + 1)})`);
  parts.push(sql`partition pmax values less than (maxvalue)`);
  await sql`alter table ${sql.table(t.table)} partition by range columns (${sql.ref(t.column)}) (${sql.join(parts)})`.execute(db);
}

/**
 * Adds a month. PostgreSQL: rows of that month already caught by the DEFAULT partition move
 * into it (the default is detached meanwhile, as PostgreSQL refuses a new range its default
 * holds rows of); run it in a transaction. MariaDB: `pmax` is split, which moves such rows
 * itself; a month at or below the last one is already inside a partition and is left alone.
 * Returns whether a partition was made.
 */
export async function addMonth(db: Db, dialect: DialectName, t: PartitionedTable, month: number): Promise<boolean> {
  const existing = await partitionMonths(db, dialect, t);
  if (existing.includes(month)) return false;
  if (dialect === 'mysql') {
    if (existing.length > 0 && month < existing[existing.length - 1]!) return false;
    await sql`alter table ${sql.table(t.table)} reorganize partition pmax into (
      partition ${sql.id(`p${suffix(month)}`)} values less than (${bound(month + 1)}),
      partition pmax values less than (maxvalue))`.execute(db);
    return true;
  }
  const inDefault = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(pgDefault(t))}
    where ${sql.ref(t.column)} >= ${monthStart(month)} and ${sql.ref(t.column)} < ${monthStart(month + 1)}`.execute(db);
  if (Number(inDefault.rows[0]?.n ?? 0) === 0) {
    await pgCreateMonth(db, t, month);
    return true;
  }
  const parent = sql.table(t.table);
  const fallback = sql.table(pgDefault(t));
  const range = sql`${sql.ref(t.column)} >= ${monthStart(month)} and ${sql.ref(t.column)} < ${monthStart(month + 1)}`;
  await sql`alter table ${parent} detach partition ${fallback}`.execute(db);
  await pgCreateMonth(db, t, month);
  await sql`insert into ${parent} select * from ${fallback} where ${range}`.execute(db);
  await sql`delete from ${fallback} where ${range}`.execute(db);
  await sql`alter table ${parent} attach partition ${fallback} default`.execute(db);
  return true;
}

/** Drops a month's partition with its rows. */
export async function dropMonth(db: Db, dialect: DialectName, t: PartitionedTable, month: number): Promise<void> {
  if (dialect === 'mysql') await sql`alter table ${sql.table(t.table)} drop partition ${sql.id(`p${suffix(month)}`)}`.execute(db);
  else await sql`drop table if exists ${sql.table(pgPartition(t, month))}`.execute(db);
}
