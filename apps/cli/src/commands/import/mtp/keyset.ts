import { asDynamic, sql, type AnyKysely, type RawBuilder } from '@tributary/platform/db';

export type SourceRow = Record<string, unknown>;

/**
 * A source table read in key order after a key: the checkpoint is the last key as JSON, so a
 * resumed import continues after it whatever the key's columns.
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

/**
 * The rows after `after` in key order, `pageSize` at a time, from one query under a cursor. The
 * originals have no index for some orders (bags by receiving time), and a page query per chunk
 * would sort the whole table again for every chunk: the cursor sorts once and then streams. The
 * read-only repeatable-read transaction it lives in also gives every page the same snapshot.
 */
export async function* keysetPages(source: KeysetSource, after: string | null, pageSize: number): AsyncGenerator<SourceRow[]> {
  const key = sql.join(source.key.map((c) => sql.ref(`t.${c}`)));
  const values = after === null ? undefined : (JSON.parse(after) as unknown[]);
  const where = values ? sql`where (${key}) > (${sql.join(values.map((v) => sql`${v}`))})` : sql``;
  const extra = source.extra ? sql`, ${source.extra}` : sql``;
  const query = sql`select t.*${extra} from ${ref(source.table)} as t ${source.joins ?? sql``} ${where} order by ${key}`;
  yield* onOneConnection(source.db, async function* (db) {
    await sql`begin transaction isolation level repeatable read read only`.execute(db);
    try {
      await sql`declare import_scan no scroll cursor for ${query}`.execute(db);
      const fetch = () => sql<SourceRow>`fetch forward ${sql.lit(Math.trunc(pageSize))} from import_scan`.execute(db).then((r) => r.rows);
      // The next page is fetched while the caller writes this one: reading and writing overlap.
      let next: Promise<SourceRow[]> | undefined = fetch();
      try {
        while (next) {
          const rows: SourceRow[] = await next;
          next = rows.length < pageSize ? undefined : fetch();
          if (rows.length > 0) yield rows;
        }
      } finally {
        // Abandoned early: the page in flight must settle before the transaction ends.
        await next?.catch(() => undefined);
      }
    } finally {
      await sql`rollback`.execute(db);
    }
  });
}

/** Runs `body` on one connection of the pool, held until the generator ends or is abandoned. */
type Connection = ReturnType<typeof asDynamic>;

async function* onOneConnection<T>(db: AnyKysely, body: (db: Connection) => AsyncGenerator<T>): AsyncGenerator<T> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let held: Promise<unknown> = Promise.resolve();
  const connection = await new Promise<Connection>((resolve, reject) => {
    held = asDynamic(db)
      .connection()
      .execute(async (one) => {
        resolve(one);
        await released;
      })
      .catch(reject);
  });
  try {
    yield* body(connection);
  } finally {
    release();
    await held;
  }
}

export async function countRows(db: AnyKysely, table: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${ref(table)}`.execute(asDynamic(db));
  return Number(rows[0]?.n ?? 0);
}

/** The checkpoint form of a row's key. */
export const keyOf = (key: readonly string[]) => (row: SourceRow) => JSON.stringify(key.map((c) => row[c]));

/** The key as the import log and the report show it: `a/b/c`. */
export const displayKey = (key: readonly string[]) => (row: SourceRow) => key.map((c) => String(row[c])).join('/');

/**
 * The rows of `table` whose key could be one of `rows`' keys: one `= any(array)` per key column,
 * which every key index serves, instead of a list of row tuples the planner may answer with a
 * scan of the whole table (per chunk: quadratic in the table). The caller compares whole keys.
 */
export async function rowsMatching(
  db: AnyKysely,
  table: string,
  key: readonly string[],
  rows: readonly SourceRow[],
  columns: readonly string[] = key,
): Promise<SourceRow[]> {
  if (rows.length === 0) return [];
  const conditions = key.map((c) => sql`${sql.ref(c)} = any(${[...new Set(rows.map((row) => row[c]))]})`);
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const { rows: found } = await sql<SourceRow>`select ${list} from ${ref(table)} where ${sql.join(conditions, sql` and `)}`.execute(
    asDynamic(db),
  );
  return found;
}

/** Which of `rows` (by `key`) are already in the target table, as display keys. */
export async function existingKeys(db: AnyKysely, table: string, key: readonly string[], rows: readonly SourceRow[]): Promise<Set<string>> {
  return new Set((await rowsMatching(db, table, key, rows)).map(displayKey(key)));
}

/** Bind parameters one statement may carry (PostgreSQL's protocol limit is 65,535). */
const MAX_PARAMETERS = 60_000;

const isPlain = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * Inserts rows as they are (columns named by the first row). Rows of plain values travel as one
 * JSON parameter that the target turns into its own row type (`json_populate_recordset`), so
 * every value is converted by the column's type exactly as a literal would be, and a chunk costs
 * one parameter instead of one per value. Rows holding anything else (a Date, whose JSON form
 * would be UTC where the driver writes local time) go as multi-row VALUES, split below the
 * protocol's parameter limit.
 */
export async function insertRows(db: AnyKysely, table: string, rows: readonly SourceRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const list = sql.join(columns.map((c) => sql.ref(c)));
  if (rows.every((row) => columns.every((c) => isPlain(row[c])))) {
    const json = JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]]))));
    await sql`insert into ${ref(table)} (${list}) select ${list} from json_populate_recordset(null::${ref(table)}, ${json}::json)`.execute(
      asDynamic(db),
    );
    return;
  }
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const values = sql.join(rows.slice(start, start + perStatement).map((row) => sql`(${sql.join(columns.map((c) => sql`${row[c]}`))})`));
    await sql`insert into ${ref(table)} (${list}) values ${values}`.execute(asDynamic(db));
  }
}
