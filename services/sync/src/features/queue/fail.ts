import type { Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

export interface Failure {
  id: string;
  round: number;
  /** Retry later (pending) or park as failed (the dead-letter view). */
  outcome: 'retry' | 'failed' | 'deferred';
  nextRetryAt: Date;
  countsAsAttempt: boolean;
  message: string;
  details: unknown;
  durationMs: number;
  now: Date;
}

export async function fail(db: Kysely<SyncDatabase>, failure: Failure): Promise<boolean> {
  const attempt = failure.countsAsAttempt ? 1 : 0;
  const result = await db
    .updateTable('sync_status')
    .set((eb) => ({
      sync_status: failure.outcome === 'failed' ? 'failed' : 'pending',
      retry_count: eb('retry_count', '+', attempt),
      error_count: eb('error_count', '+', attempt),
      last_error_message: failure.message.slice(0, 2000),
      last_error_details: JSON.stringify(failure.details ?? null),
      last_error_at: failure.now,
      next_retry_at: failure.nextRetryAt,
      lease_owner: null,
      lease_expires_at: null,
      sync_duration_ms: failure.durationMs,
      updated_at: failure.now,
    }))
    .where('id', '=', failure.id)
    .where('resolution_round', '=', failure.round)
    .where('sync_status', '=', 'in_progress')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
