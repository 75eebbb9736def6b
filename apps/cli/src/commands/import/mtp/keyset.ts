import { asDynamic, sql, type AnyKysely, type RawBuilder } from '@tributary/platform/db';

export type SourceRow = Record<string, unknown>;

/**
 * A source table read in primary-key order, a page after a key: the checkpoint is the last key
 * as JSON, so a resumed import continues after it whatever the key's columns.
 */
export interface KeysetSource {
  db: AnyKysely;
  /** `schema.table` or `table` in the source database; from a fixed list, never from input. */
  table: string;
  key: readonly string[];
  /** Extra select list (joins, computed columns) appended after `t.*`. */
  extra?: RawBuilder<unknown>;
  joins?: RawBuilder<unknown>;
}

const ref = (table: string) => sql.table(table);

export function keysetPage(source: KeysetSource, after: string | null, limit: number): Promise<SourceRow[]> {
  const key = sql.join(source.key.map((c) => sql.ref(`t.${c}`)));
  const values = after === null ? undefined : (JSON.parse(after) as unknown[]);
  const where = values ? sql`where (${key}) > (${sql.join(values.map((v) => sql`${v}`))})` : sql``;
  const extra = source.extra ? sql`, ${source.extra}` : sql``;
  return sql<SourceRow>`select t.*${extra} from ${ref(source.table)} as t ${source.joins ?? sql``} ${where} order by ${key} limit ${limit}`
    .execute(asDynamic(source.db))
    .then((r) => r.rows);
}

export async function countRows(db: AnyKysely, table: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${ref(table)}`.execute(asDynamic(db));
  return Number(rows[0]?.n ?? 0);
}

/** The checkpoint form of a row's key. */
export const keyOf = (key: readonly string[]) => (row: SourceRow) => JSON.stringify(key.map((c) => row[c]));

/** The key as the import log and the report show it: `a/b/c`. */
export const displayKey = (key: readonly string[]) => (row: SourceRow) => key.map((c) => String(row[c])).join('/');

/** Which of `rows` (by `key`) are already in the target table. */
export async function existingKeys(db: AnyKysely, table: string, key: readonly string[], rows: readonly SourceRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const columns = sql.join(key.map((c) => sql.ref(c)));
  const tuples = sql.join(rows.map((row) => sql`(${sql.join(key.map((c) => sql`${row[c]}`))})`));
  const { rows: found } = await sql<SourceRow>`select ${columns} from ${ref(table)} where (${columns}) in (${tuples})`.execute(
    asDynamic(db),
  );
  return new Set(found.map(displayKey(key)));
}

/** Inserts rows as they are (columns named by the first row); parameterised. */
export async function insertRows(db: AnyKysely, table: string, rows: readonly SourceRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const values = sql.join(rows.map((row) => sql`(${sql.join(columns.map((c) => sql`${row[c]}`))})`));
  await sql`insert into ${ref(table)} (${list}) values ${values}`.execute(asDynamic(db));
}
