import type { Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';
import { ENTITY_KINDS, QUEUE_OF, entityKindOf } from './entity-kind.js';
import { countDeliveriesByEntity } from './queue-stats.repository.js';

/** One queue in the shape of the original's Bull counts. */
export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
  conflict: number;
}

export type QueueStats = Record<string, QueueCounts>;

const empty = (): QueueCounts => ({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0, conflict: 0 });

/**
 * The four original queues, derived from sync's own delivery table: waiting = pending and
 * runnable, delayed = pending until a retry time or schedule, active = in progress, failed =
 * dead letters, conflict = waiting for a person, completed = finished in the last day.
 */
export async function queueStats(db: Kysely<SyncDatabase>, now: Date): Promise<QueueStats> {
  const queues: QueueStats = Object.fromEntries(ENTITY_KINDS.map((kind) => [QUEUE_OF[kind], empty()]));
  for (const row of await countDeliveriesByEntity(db, now)) {
    const kind = entityKindOf(row.entityType);
    if (!kind) continue;
    const counts = queues[QUEUE_OF[kind]]!;
    if (row.status === 'pending') {
      counts.waiting += row.count - row.delayed;
      counts.delayed += row.delayed;
    } else if (row.status === 'in_progress') counts.active += row.count;
    else if (row.status === 'completed') counts.completed += row.count;
    else if (row.status === 'failed') counts.failed += row.count;
    else if (row.status === 'conflict') counts.conflict += row.count;
  }
  return queues;
}
