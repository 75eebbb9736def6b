import { sql } from 'kysely';
import type { AnyKysely } from '../db/schema.js';
import type { DialectName } from '../db/url.js';

export interface ColumnInfo {
  name: string;
  /** information_schema data_type, lower case (`jsonb`, `json`, `text`, `array`, `inet`, `longtext`, …). */
  type: string;
  /** Computed by the database: never written by a copy. */
  generated: boolean;
  /** Fed by a sequence (serial, identity): a copy writes the value and moves the sequence past it. */
  sequenced: boolean;
  /** GENERATED ALWAYS AS IDENTITY: an insert with a value needs OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
}

/** `admin.user` → schema `admin`, table `user`; a bare name is in the connection's schema. */
function split(table: string): { schema: string | undefined; name: string } {
  const dot = table.indexOf('.');
  return dot < 0 ? { schema: undefined, name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) };
}

const schemaOf = (dialect: DialectName, schema: string | undefined) =>
  schema !== undefined ? sql`${schema}` : dialect === 'mysql' ? sql`database()` : sql`current_schema()`;

/** The table's columns in order; empty when the table does not exist. */
export async function tableColumns(db: AnyKysely, dialect: DialectName, table: string): Promise<ColumnInfo[]> {
  const { schema, name } = split(table);
  const mysql = dialect === 'mysql';
  const generated = mysql ? sql`extra like '%GENERATED%'` : sql`is_generated = 'ALWAYS'`;
  const sequenced = mysql ? sql`1 = 0` : sql`(column_default like 'nextval(%' or is_identity = 'YES')`;
  const identity = mysql ? sql`1 = 0` : sql`identity_generation = 'ALWAYS'`;
  const { rows } = await sql<{ name: string; type: string; generated: number; sequenced: number; identity: number }>`
    select column_name as name, lower(data_type) as type, case when ${generated} then 1 else 0 end as generated,
      case when ${sequenced} then 1 else 0 end as sequenced, case when ${identity} then 1 else 0 end as ${sql.ref('identity')}
    from information_schema.columns where table_schema = ${schemaOf(dialect, schema)} and table_name = ${name}
    order by ordinal_position`.execute(db);
  return rows.map((row) => ({
    name: row.name,
    type: row.type,
    generated: Number(row.generated) === 1,
    sequenced: Number(row.sequenced) === 1,
    identityAlways: Number(row.identity) === 1,
  }));
}

/** Primary-key columns in key order; empty when the table has none. */
export async function primaryKey(db: AnyKysely, dialect: DialectName, table: string): Promise<string[]> {
  const { schema, name } = split(table);
  const { rows } = await sql<{ name: string }>`
    select k.column_name as name from information_schema.table_constraints c
    join information_schema.key_column_usage k
      on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
    where c.constraint_type = 'PRIMARY KEY' and c.table_schema = ${schemaOf(dialect, schema)} and c.table_name = ${name}
    order by k.ordinal_position`.execute(db);
  return rows.map((row) => row.name);
}

/**
 * The tables a copy must carry: every base table of the service's schemas, without the
 * partitions of a partitioned table (rows are copied through the parent) and without the
 * migration bookkeeping (the target's own migrations wrote it).
 */
export async function listTables(db: AnyKysely, dialect: DialectName): Promise<string[]> {
  if (dialect === 'mysql') {
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = database() and table_type = 'BASE TABLE' order by table_name`.execute(db);
    return rows.map((row) => row.name).filter((name) => !name.startsWith('tributary_migration'));
  }
  const { rows } = await sql<{ schema: string; name: string }>`
    select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition
      and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
    order by n.nspname, c.relname`.execute(db);
  const current = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  return rows
    .map((row) => (row.schema === current ? row.name : `${row.schema}.${row.name}`))
    .filter((name) => !name.startsWith('tributary_migration'));
}

export const isJsonType = (type: string) => type === 'json' || type === 'jsonb';

/** A value read from a JSON column or a JSON text column, parsed; undefined when it is not JSON. */
export function parseJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
