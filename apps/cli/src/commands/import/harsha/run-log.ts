import { randomUUID } from 'node:crypto';
import { asDynamic, type AnyDatabase, type DynamicSchema, type Kysely } from '@tributary/platform/db';
import type { FaultEntry } from './faults.js';

/** The import's own bookkeeping in each target database: its runs (with the checkpoint) and the log of faults. */
export interface RunLog {
  /** The unfinished run of this source to resume, else a new one. */
  begin(database: AnyDatabase, source: string): Promise<{ runId: string; checkpoint: Record<string, unknown>; resumed: boolean }>;
  hasUnfinished(database: AnyDatabase, source: string): Promise<boolean>;
  /** Entries not logged before (by source, table, key and fault); returns how many were new. */
  record(trx: Kysely<DynamicSchema>, runId: string, source: string, faults: readonly FaultEntry[]): Promise<number>;
  checkpoint(trx: Kysely<DynamicSchema>, runId: string, checkpoint: Record<string, unknown>): Promise<void>;
  finish(database: AnyDatabase, runId: string, summary: Record<string, unknown>): Promise<void>;
}

const unfinished = (database: AnyDatabase, source: string) =>
  asDynamic(database.db)
    .selectFrom('import_run')
    .select(['id', 'checkpoint'])
    .where('source', '=', source)
    .where('mode', '=', 'apply')
    .where('status', '=', 'running')
    .orderBy('started_at', 'desc')
    .executeTakeFirst();

export const importLog: RunLog = {
  async hasUnfinished(database, source) {
    return (await unfinished(database, source)) !== undefined;
  },
  async begin(database, source) {
    const db = asDynamic(database.db);
    const open = await unfinished(database, source);
    if (open)
      return { runId: String(open.id), checkpoint: JSON.parse(String(open.checkpoint ?? '{}')) as Record<string, unknown>, resumed: true };
    const id = randomUUID();
    await db
      .insertInto('import_run')
      .values({ id, source, mode: 'apply', started_at: new Date(), status: 'running', checkpoint: '{}' })
      .execute();
    return { runId: id, checkpoint: {}, resumed: false };
  },
  async record(trx, runId, source, faults) {
    let written = 0;
    for (const entry of faults) {
      const result = await trx
        .insertInto('import_log')
        .values({
          id: randomUUID(),
          run_id: runId,
          source,
          source_table: entry.sourceTable,
          source_key: entry.sourceKey,
          fault: entry.fault,
          decision: entry.decision,
          detail: JSON.stringify(entry.detail),
          created_at: new Date(),
        })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      written += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return written;
  },
  async checkpoint(trx, runId, checkpoint) {
    await trx
      .updateTable('import_run')
      .set({ checkpoint: JSON.stringify(checkpoint) })
      .where('id', '=', runId)
      .execute();
  },
  async finish(database, runId, summary) {
    await asDynamic(database.db)
      .updateTable('import_run')
      .set({ status: 'completed', finished_at: new Date(), summary: JSON.stringify(summary) })
      .where('id', '=', runId)
      .execute();
  },
};
