import { asDynamic, sql, type AnyDatabase, type AnyKysely, type DynamicSchema, type Kysely } from '@tributary/platform/db';
import type { TargetInsert } from './step.js';

/**
 * Tributary's side: which of a chunk's rows are there already (keyed by the original
 * identifiers, so a second run finds them all) and the insert of the others. The only I/O
 * against the target tables; the import log is the frame's.
 */
/** Asked on `db` (the chunk's transaction when there is one): PGlite has a single connection, which the transaction holds. */
export async function tableExists(
  database: Pick<AnyDatabase, 'dialect'>,
  table: string,
  db: AnyKysely = (database as AnyDatabase).db,
): Promise<boolean> {
  const filter = database.dialect === 'mysql' ? sql`table_schema = database()` : sql`table_schema = current_schema()`;
  const result = await sql<{
    n: unknown;
  }>`select count(*) as n from information_schema.tables where ${filter} and table_name = ${table}`.execute(asDynamic(db));
  return Number(result.rows[0]?.n ?? 0) > 0;
}

export async function existingKeys(
  db: Kysely<DynamicSchema>,
  table: string,
  keyColumn: string,
  keys: readonly string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom(table)
    .select(sql<string>`${sql.ref(keyColumn)}`.as('k'))
    .where(keyColumn, 'in', [...keys])
    .execute();
  return new Set(rows.map((row) => String(row.k)));
}

/** Inserts in the order given (parents before children), one statement per run of the same table. */
export async function insertRows(db: Kysely<DynamicSchema>, rows: readonly TargetInsert[]): Promise<void> {
  let start = 0;
  while (start < rows.length) {
    let end = start + 1;
    while (end < rows.length && rows[end]!.table === rows[start]!.table && end - start < 500) end += 1;
    await db
      .insertInto(rows[start]!.table)
      .values(rows.slice(start, end).map((row) => row.values))
      .execute();
    start = end;
  }
}

export async function activeRoutes(database: AnyDatabase): Promise<Map<string, string>> {
  if (!(await tableExists(database, 'service_routes'))) return new Map();
  const rows = await asDynamic(database.db)
    .selectFrom('service_routes')
    .select(['http_method', 'path_pattern', 'route_id'])
    .where('is_active', '=', true)
    .execute();
  return new Map(rows.map((row) => [`${String(row.http_method)} ${String(row.path_pattern)}`, String(row.route_id)]));
}

export async function configurationNames(database: AnyDatabase): Promise<Map<string, string>> {
  if (!(await tableExists(database, 'sync_configurations'))) return new Map();
  const rows = await asDynamic(database.db).selectFrom('sync_configurations').select(['config_name', 'config_id']).execute();
  return new Map(rows.map((row) => [String(row.config_name), String(row.config_id)]));
}
