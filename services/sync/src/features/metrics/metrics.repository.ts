import { sql, type Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';
import { SYSTEM_RESOLVER } from '../conflicts/conflicts.repository.js';

export interface QueueDepthRow {
  target: string;
  status: string;
  count: number;
}

/** Unfinished deliveries by target and status (the partial index on unfinished rows serves it). */
export async function countUnfinishedDeliveries(db: Kysely<SyncDatabase>): Promise<QueueDepthRow[]> {
  const rows = await db
    .selectFrom('sync_status')
    .select(['target_system', 'sync_status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('sync_status', 'in', ['pending', 'in_progress', 'failed', 'conflict'])
    .groupBy(['target_system', 'sync_status'])
    .execute();
  return rows.map((row) => ({ target: row.target_system, status: row.sync_status, count: Number(row.n) }));
}

export interface ConflictSummary {
  /** Pending or escalated. */
  open: number;
  /** When the oldest open conflict was detected; null when none is open. */
  oldestOpenDetectedAt: Date | null;
  /** Settled by rule, without a person. */
  resolvedBySystem: number;
  /** Settled (resolved or ignored) by a person. */
  resolvedByPerson: number;
}

/** One pass over the conflicts table for every conflict gauge of a scrape. */
export async function summariseConflicts(db: Kysely<SyncDatabase>): Promise<ConflictSummary> {
  const row = await db
    .selectFrom('sync_conflicts')
    .select([
      sql<string>`count(*) filter (where resolution_status in ('pending', 'escalated'))`.as('open'),
      sql<Date | null>`min(detected_at) filter (where resolution_status in ('pending', 'escalated'))`.as('oldest'),
      sql<string>`count(*) filter (where resolution_status = 'resolved' and resolved_by = ${SYSTEM_RESOLVER})`.as('by_system'),
      sql<string>`count(*) filter (where resolution_status in ('resolved', 'ignored') and resolved_by is distinct from ${SYSTEM_RESOLVER})`.as(
        'by_person',
      ),
    ])
    .executeTakeFirstOrThrow();
  return {
    open: Number(row.open),
    oldestOpenDetectedAt: row.oldest === null ? null : new Date(row.oldest),
    resolvedBySystem: Number(row.by_system),
    resolvedByPerson: Number(row.by_person),
  };
}
