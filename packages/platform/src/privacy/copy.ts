import { sql, type RawBuilder } from 'kysely';
import type { AnyKysely } from '../db/schema.js';
import type { Database } from '../db/create.js';
import type { DialectName } from '../db/url.js';
import { FIELD_KEY_TABLE } from '../crypto/key-table.js';
import { migrateToLatest, type Migration } from '../migrate/migrate.js';
import type { MaskKind, PersonalDataDeclaration, PersonalTable } from './declaration.js';
import { isJsonType, listTables, parseJsonValue, primaryKey, tableColumns, type ColumnInfo } from './introspect.js';
import { Masker, personalStrings } from './mask.js';

type Row = Record<string, unknown>;

export interface MaskOptions {
  source: Database;
  target: Database;
  migrations: readonly Migration[];
  declaration: PersonalDataDeclaration;
  /** The masking key: the same key gives the same fakes (copies of several services still join). */
  key: string;
  batchSize?: number;
  onTable?: (table: string, rows: number) => void;
}

export interface MaskReport {
  service: string;
  /** Rows copied per table. */
  tables: Record<string, number>;
  /** Personal columns rewritten, as `table.column`. */
  masked: string[];
  /** Distinct source personal values looked for in the target. */
  checkedValues: number;
  /** `table.column` where a source personal value was still found (empty: the copy is clean). */
  leaks: string[];
}

/** How one column of a declared table is rewritten. */
type Rewrite = { kind: 'value'; mask: MaskKind } | { kind: 'json'; keys: readonly string[] };

function rewritesOf(table: PersonalTable | undefined): Map<string, Rewrite> {
  const rewrites = new Map<string, Rewrite>();
  if (!table) return rewrites;
  for (const field of table.owner?.fields ?? []) rewrites.set(field.name, { kind: 'value', mask: field.mask });
  for (const actor of table.actors ?? []) rewrites.set(actor.name, { kind: 'value', mask: actor.mask ?? 'shape' });
  for (const mention of table.mentions ?? []) rewrites.set(mention.name, { kind: 'json', keys: mention.keys });
  for (const column of table.incidental ?? []) rewrites.set(column.name, { kind: 'value', mask: column.mask });
  return rewrites;
}

/** A value worth looking for: masking changes every letter and digit, so only strings with one can be checked. */
const checkable = (value: string) => /[\p{L}\p{N}]/u.test(value);

/**
 * A masked copy of a service's database for non-production use: migrates the target, empties
 * it, copies every table in key order and in batches, rewriting each declared personal column
 * with deterministic fakes of the same format, then reads the target back and reports any
 * source personal value still present. Foreign keys and triggers are suspended for the copy
 * (rows arrive table by table, not in dependency order) inside one target transaction, so a
 * failed copy leaves the target empty rather than half-filled.
 */
export async function maskDatabase(options: MaskOptions): Promise<MaskReport> {
  const { source, target, declaration } = options;
  const masker = new Masker(options.key);
  const batchSize = options.batchSize ?? 500;
  await migrateToLatest(target, options.migrations);
  const declared = new Map(declaration.tables.map((t) => [t.table, t]));
  const report: MaskReport = { service: declaration.service, tables: {}, masked: [], checkedValues: 0, leaks: [] };
  const seen = new Map<string, Set<string>>();
  const tables = await listTables(source.db, source.dialect);

  await target.db.transaction().execute(async (trx) => {
    await suspendChecks(trx, target.dialect, true);
    if (source.dialect !== 'mysql' && target.dialect !== 'mysql') await copyPartitions(source.db, trx);
    for (const table of tables) {
      const targetColumns = await tableColumns(trx, target.dialect, table);
      if (targetColumns.length === 0) continue;
      await sql`delete from ${sql.table(table)}`.execute(trx);
    }
    for (const table of tables) {
      const targetColumns = new Map((await tableColumns(trx, target.dialect, table)).map((c) => [c.name, c]));
      if (targetColumns.size === 0) continue;
      // Production's data keys are wrapped by production's master key: a copy makes its own.
      if (unqualified(table) === FIELD_KEY_TABLE) continue;
      const sourceColumns = await tableColumns(source.db, source.dialect, table);
      const columns = sourceColumns.filter((c) => !c.generated && targetColumns.get(c.name) && !targetColumns.get(c.name)!.generated);
      const rewrites = rewritesOf(declared.get(table));
      for (const name of rewrites.keys()) if (columns.some((c) => c.name === name)) report.masked.push(`${table}.${name}`);
      const key = await primaryKey(source.db, source.dialect, table);
      let copied = 0;
      for await (const batch of readBatches(source.db, table, columns, key, batchSize)) {
        const rows = batch.map((row) =>
          maskRow(row, columns, rewrites, masker, (column, value) => remember(seen, `${table}.${column}`, value)),
        );
        await insertRows(trx, target.dialect, table, columns, rows);
        copied += rows.length;
      }
      report.tables[table] = copied;
      options.onTable?.(table, copied);
      if (target.dialect !== 'mysql') await resetSequences(trx, table, columns);
    }
    await suspendChecks(trx, target.dialect, false);
  });

  // Read the copy back: no source personal value may be left in a personal column.
  for (const [table, personal] of declared) {
    const columns = (await tableColumns(target.db, target.dialect, table)).filter((c) => rewritesOf(personal).has(c.name));
    if (columns.length === 0) continue;
    const rewrites = rewritesOf(personal);
    const key = await primaryKey(target.db, target.dialect, table);
    const leaked = new Set<string>();
    for await (const batch of readBatches(target.db, table, columns, key, batchSize)) {
      for (const row of batch) {
        for (const column of columns) {
          const values = seen.get(`${table}.${column.name}`);
          if (!values) continue;
          const rewrite = rewrites.get(column.name)!;
          const found = rewrite.kind === 'json' ? personalStrings(parseJsonValue(row[column.name]), rewrite.keys) : [row[column.name]];
          if (found.some((value) => typeof value === 'string' && values.has(value))) leaked.add(`${table}.${column.name}`);
        }
      }
    }
    report.leaks.push(...leaked);
  }
  report.checkedValues = [...seen.values()].reduce((sum, set) => sum + set.size, 0);
  return report;
}

function remember(seen: Map<string, Set<string>>, at: string, value: string): void {
  if (!checkable(value)) return;
  let set = seen.get(at);
  if (!set) seen.set(at, (set = new Set()));
  set.add(value);
}

function maskRow(
  row: Row,
  columns: ColumnInfo[],
  rewrites: Map<string, Rewrite>,
  masker: Masker,
  saw: (column: string, value: string) => void,
): Row {
  const out: Row = {};
  for (const column of columns) {
    let value = row[column.name];
    const rewrite = rewrites.get(column.name);
    if (rewrite && value !== null && value !== undefined) {
      if (rewrite.kind === 'json') {
        const parsed = parseJsonValue(value);
        if (parsed !== undefined) {
          personalStrings(parsed, rewrite.keys).forEach((s) => saw(column.name, s));
          value = JSON.stringify(masker.json(parsed, rewrite.keys));
        }
      } else if (typeof value === 'string') {
        saw(column.name, value);
        value = masker.value(rewrite.mask, value);
      }
    }
    // JSON columns come back parsed; they go in as JSON text.
    if (isJsonType(column.type) && value !== null && value !== undefined && typeof value !== 'string') value = JSON.stringify(value);
    out[column.name] = value;
  }
  return out;
}

/** Batches in primary-key order (keyset paging); a table without a key is read in one pass of pages by offset. */
async function* readBatches(db: AnyKysely, table: string, columnInfo: ColumnInfo[], key: string[], size: number): AsyncGenerator<Row[]> {
  const columns = columnInfo.map((c) => c.name);
  const select = sql.join(columns.map((c) => sql.ref(c)));
  // Without a key, every orderable column (json has no ordering) keeps the pages stable.
  const order = sql.join((key.length > 0 ? key : columnInfo.filter((c) => c.type !== 'json').map((c) => c.name)).map((c) => sql.ref(c)));
  let after: Row | undefined;
  for (let offset = 0; ; offset += size) {
    let where: RawBuilder<unknown> = sql`1 = 1`;
    if (key.length > 0 && after) {
      const last = after;
      where = sql`(${sql.join(key.map((k) => sql.ref(k)))}) > (${sql.join(key.map((k) => sql`${last[k]}`))})`;
    }
    const page = key.length > 0 ? sql`limit ${size}` : sql`limit ${size} offset ${offset}`;
    const keySelect = key.filter((k) => !columns.includes(k));
    const extra = keySelect.length > 0 ? sql`, ${sql.join(keySelect.map((k) => sql.ref(k)))}` : sql``;
    const { rows } = await sql<Row>`select ${select}${extra} from ${sql.table(table)} where ${where} order by ${order} ${page}`.execute(db);
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1);
    if (rows.length < size) return;
  }
}

async function insertRows(trx: AnyKysely, dialect: DialectName, table: string, columns: ColumnInfo[], rows: Row[]): Promise<void> {
  if (rows.length === 0 || columns.length === 0) return;
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  const overriding = dialect !== 'mysql' && columns.some((c) => c.identityAlways) ? sql`overriding system value` : sql``;
  const values = sql.join(rows.map((row) => sql`(${sql.join(columns.map((c) => sql`${row[c.name] ?? null}`))})`));
  await sql`insert into ${sql.table(table)} (${names}) ${overriding} values ${values}`.execute(trx);
}

async function resetSequences(trx: AnyKysely, table: string, columns: ColumnInfo[]): Promise<void> {
  for (const column of columns.filter((c) => c.sequenced)) {
    const quoted = table
      .split('.')
      .map((part) => `"${part.replace(/"/g, '""')}"`)
      .join('.');
    await sql`select setval(pg_get_serial_sequence(${quoted}, ${column.name}), coalesce((select max(${sql.ref(column.name)}) from ${sql.table(table)}), 0) + 1, false)`.execute(
      trx,
    );
  }
}

/** Rows arrive table by table, not in foreign-key order: checks and triggers wait until the copy is whole. */
async function suspendChecks(trx: AnyKysely, dialect: DialectName, suspend: boolean): Promise<void> {
  if (dialect === 'mysql') await sql.raw(`set foreign_key_checks = ${suspend ? 0 : 1}`).execute(trx);
  else if (suspend) await sql`set local session_replication_role = replica`.execute(trx);
}

/**
 * Rows go in through a partitioned table's parent, so the target needs the source's partitions
 * (made over time by a maintenance loop, not by migrations). Each missing one is created with
 * the bound the source's catalog reports, parents before their own partitions.
 */
async function copyPartitions(source: AnyKysely, trx: AnyKysely): Promise<void> {
  const list = async (db: AnyKysely) =>
    (
      await sql<{ schema: string; name: string; parent: string; bound: string }>`
        select n.nspname as schema, c.relname as name, p.relname as parent, pg_get_expr(c.relpartbound, c.oid) as bound
        from pg_class c join pg_inherits i on i.inhrelid = c.oid join pg_class p on p.oid = i.inhparent
        join pg_namespace n on n.oid = c.relnamespace
        where c.relispartition and c.relkind in ('r', 'p') order by c.relname`.execute(db)
    ).rows;
  const existing = new Set((await list(trx)).map((row) => `${row.schema}.${row.name}`));
  let pending = (await list(source)).filter((row) => !existing.has(`${row.schema}.${row.name}`));
  while (pending.length > 0) {
    const ready = pending.filter((row) => !pending.some((other) => other.name === row.parent && other.schema === row.schema));
    if (ready.length === 0) throw new Error('partition hierarchy could not be ordered');
    for (const row of ready) {
      // The bound is the source database's own catalog text (e.g. FOR VALUES FROM (…) TO (…)), not input.
      await sql`create table ${sql.table(`${row.schema}.${row.name}`)} partition of ${sql.table(`${row.schema}.${row.parent}`)} ${sql.raw(row.bound)}`.execute(
        trx,
      );
    }
    pending = pending.filter((row) => !ready.includes(row));
  }
}

/** `public.field_key` and `field_key` name the same table. */
function unqualified(table: string): string {
  return table.slice(table.lastIndexOf('.') + 1);
}
