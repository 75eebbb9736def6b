import { randomUUID } from 'node:crypto';
import { asDynamic, type AnyDatabase, type DynamicSchema, type Kysely } from '@tributary/platform/db';
import type { FaultEntry } from './faults.js';

/** The import's own bookkeeping in each target database: its runs (with the checkpoint) and the log of faults. */
export interface RunLog {
  /** The unfinished run of this source to resume, else a new one. */
  begin(database: AnyDatabase, source: string): Promise<{ runId: string; checkpoint: Record<string, unknown>; resumed: boolean }>;
  /** The entries a run logged, to report a resumed run whole. */
  entries(database: AnyDatabase, runId: string): Promise<FaultEntry[]>;
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
  async entries(database, runId) {
    const rows = await asDynamic(database.db)
      .selectFrom('import_log')
      .select(['source_table', 'source_key', 'fault', 'decision', 'detail'])
      .where('run_id', '=', runId)
      .execute();
    return rows.map((row) => ({
      sourceTable: String(row.source_table),
      sourceKey: String(row.source_key),
      fault: String(row.fault) as FaultEntry['fault'],
      decision: String(row.decision) as FaultEntry['decision'],
      detail: JSON.parse(String(row.detail)) as Record<string, unknown>,
    }));
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
    if (faults.length === 0) return 0;
    // Looked up rather than `on conflict do nothing`, which MariaDB spells differently; one
    // import writes a target at a time, and the unique key still guards a second one.
    const present = await trx
      .selectFrom('import_log')
      .select(['source_table', 'source_key', 'fault'])
      .where('source', '=', source)
      .where('source_key', 'in', [...new Set(faults.map((entry) => entry.sourceKey))])
      .execute();
    const seen = new Set(present.map((row) => `${String(row.source_table)}\u0000${String(row.source_key)}\u0000${String(row.fault)}`));
    const fresh = faults.filter((entry) => {
      const id = `${entry.sourceTable}\u0000${entry.sourceKey}\u0000${entry.fault}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    if (fresh.length === 0) return 0;
    const now = new Date();
    await trx
      .insertInto('import_log')
      .values(
        fresh.map((entry) => ({
          id: randomUUID(),
          run_id: runId,
          source,
          source_table: entry.sourceTable,
          source_key: entry.sourceKey,
          fault: entry.fault,
          decision: entry.decision,
          detail: JSON.stringify(entry.detail),
          created_at: now,
        })),
      )
      .execute();
    return fresh.length;
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
