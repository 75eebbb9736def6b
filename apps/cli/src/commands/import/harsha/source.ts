import { asDynamic, sql, type AnyDatabase } from '@tributary/platform/db';

export type SourceRow = Record<string, unknown>;

/**
 * Read-only access to one original database (the ERPNext extensions on MariaDB, the gateway's
 * and the sync service's PostgreSQL). Tables are read in key order, a page at a time, so an
 * import runs in constant memory and resumes after the last key a chunk committed.
 */
export interface SourceDatabase {
  readonly label: string;
  columns(table: string): Promise<Set<string>>;
  hasTable(table: string): Promise<boolean>;
  page(table: string, key: string, after: string | undefined, limit: number): Promise<SourceRow[]>;
  whereIn(table: string, column: string, values: readonly string[]): Promise<SourceRow[]>;
  keys(table: string, key: string): Promise<Set<string>>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/** Reading helpers over an original opened by the import frame (`openSource`). */
export function sourceOver(label: string, database: AnyDatabase): SourceDatabase {
  const db = asDynamic(database.db);
  const schemaFilter = database.dialect === 'mysql' ? sql`table_schema = database()` : sql`table_schema = current_schema()`;
  const columnCache = new Map<string, Set<string>>();
  const columns = async (table: string): Promise<Set<string>> => {
    const cached = columnCache.get(table);
    if (cached) return cached;
    const result = await sql<{ column_name: string }>`select column_name as column_name from information_schema.columns
      where ${schemaFilter} and table_name = ${table}`.execute(db);
    const found = new Set(result.rows.map((row) => row.column_name));
    columnCache.set(table, found);
    return found;
  };
  return {
    label,
    columns,
    hasTable: async (table) => (await columns(table)).size > 0,
    async page(table, key, after, limit) {
      const from = after === undefined ? sql`` : sql`where ${sql.ref(key)} > ${after}`;
      const result = await sql<SourceRow>`select * from ${sql.table(table)} ${from} order by ${sql.ref(key)} limit ${limit}`.execute(db);
      return result.rows;
    },
    async whereIn(table, column, values) {
      if (values.length === 0) return [];
      const list = sql.join(values.map((value) => sql`${value}`));
      const result = await sql<SourceRow>`select * from ${sql.table(table)} where ${sql.ref(column)} in (${list})`.execute(db);
      return result.rows;
    },
    async keys(table, key) {
      if (!(await columns(table)).has(key)) return new Set();
      const result = await sql<{ k: unknown }>`select ${sql.ref(key)} as k from ${sql.table(table)}`.execute(db);
      return new Set(result.rows.map((row) => String(row.k)));
    },
    async count(table) {
      const result = await sql<{ n: unknown }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      return Number(result.rows[0]?.n ?? 0);
    },
    close: () => database.close(),
  };
}
