import { sql, type DynamicSchema, type Kysely } from '@tributary/platform/db';

/**
 * Runs DDL one statement at a time: PGlite's extended protocol takes a single statement per
 * call, and function bodies contain semicolons, so the statements come as a list.
 */
export async function runStatements(db: Kysely<DynamicSchema>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
