import { sql, type Kysely } from 'kysely';
import type { SyncDatabase, SyncStatusRow } from '../../db/schema.js';

export type ClaimedDelivery = Pick<
  SyncStatusRow,
  | 'id'
  | 'sync_id'
  | 'event_id'
  | 'config_id'
  | 'entity_type'
  | 'entity_id'
  | 'event_name'
  | 'source_sequence'
  | 'source_system'
  | 'target_system'
  | 'source_version'
  | 'source_data'
  | 'transformed_data'
  | 'force_apply'
  | 'resolution_round'
  | 'retry_count'
  | 'max_retries'
  | 'backoff_factor'
  | 'retry_delay_ms'
  | 'event_created_at'
  | 'sync_metadata'
>;

/**
 * Claims up to `limit` runnable deliveries of one target. SKIP LOCKED lets N workers claim at
 * once without waiting on or double-claiming each other's rows. A delivery whose aggregate has
 * unfinished earlier work for the same target is not runnable: that is per-aggregate ordering
 * (ids grow in capture order, and capture is in source order). The lease makes a crashed
 * worker's claims runnable again once it expires.
 */
export async function claimDeliveries(
  db: Kysely<SyncDatabase>,
  options: { target: string; limit: number; workerId: string; now: Date; leaseUntil: Date },
): Promise<ClaimedDelivery[]> {
  const { target, limit, workerId, now, leaseUntil } = options;
  const result = await sql<ClaimedDelivery>`
    with picked as (
      select s.id from sync_status s
      where s.target_system = ${target}
        and s.sync_status = 'pending' and not s.held
        and s.next_retry_at <= ${now}
        and (s.ordering_key is null or not exists (
          select 1 from sync_status p
          where p.target_system = s.target_system and p.ordering_key = s.ordering_key and p.id < s.id
            and p.sync_status in ('pending', 'in_progress', 'failed', 'conflict')))
      order by s.priority, s.id
      limit ${limit}
      for update of s skip locked
    )
    update sync_status u
    set sync_status = 'in_progress', lease_owner = ${workerId}, lease_expires_at = ${leaseUntil},
        started_at = coalesce(u.started_at, ${now}), updated_at = ${now}
    from picked where u.id = picked.id
    returning u.id, u.sync_id, u.event_id, u.config_id, u.entity_type, u.entity_id, u.event_name, u.source_sequence,
      u.source_system, u.target_system, u.source_version, u.source_data, u.transformed_data, u.force_apply,
      u.resolution_round, u.retry_count, u.max_retries, u.backoff_factor, u.retry_delay_ms, u.event_created_at, u.sync_metadata`.execute(db);
  // RETURNING order is unspecified; deliver in arrival order.
  return result.rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

export interface Completion {
  id: string;
  round: number;
  durationMs: number;
  completedAt: Date;
  /** What the target answered: applied, duplicate or ignored. */
  ack: string;
  transformed: string | null;
}

/**
 * Marks deliveries done, many per statement. Fenced on the resolution round, not on the lease:
 * a slow worker whose lease expired still reports a delivery the target really applied (even if
 * the expiry meanwhile parked it as failed), but never completes a newer round (a conflict
 * resolution) it did not send.
 */
export async function completeDeliveries(db: Kysely<SyncDatabase>, completions: readonly Completion[]): Promise<number> {
  if (completions.length === 0) return 0;
  const values = sql.join(
    completions.map(
      (c) => sql`(${c.id}::bigint, ${c.round}::int, ${c.durationMs}::int, ${c.completedAt}::timestamptz, ${c.ack}::text, ${c.transformed}::jsonb)`,
    ),
  );
  const result = await sql`
    update sync_status u
    set sync_status = 'completed', completed_at = v.completed_at, sync_duration_ms = v.duration_ms,
        lease_owner = null, lease_expires_at = null, last_sync_version = u.source_version,
        transformed_data = coalesce(v.transformed, u.transformed_data),
        sync_metadata = coalesce(u.sync_metadata, '{}'::jsonb) || jsonb_build_object('ack', v.ack),
        updated_at = v.completed_at
    from (values ${values}) as v(id, round, duration_ms, completed_at, ack, transformed)
    where u.id = v.id and u.resolution_round = v.round and u.sync_status in ('pending', 'in_progress', 'failed')`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

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

export async function recordFailure(db: Kysely<SyncDatabase>, failure: Failure): Promise<boolean> {
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

/**
 * Claims whose lease ran out go back to pending (their worker died or stalled). The lost attempt
 * counts: an event that kills every worker that takes it (a poison message) ends up parked as
 * failed instead of circling forever.
 */
export async function releaseExpiredLeases(db: Kysely<SyncDatabase>, now: Date): Promise<number> {
  const result = await sql`
    update sync_status
    set sync_status = case when retry_count + 1 > max_retries then 'failed' else 'pending' end,
        retry_count = retry_count + 1, error_count = error_count + 1,
        last_error_message = 'lease expired: the worker holding this delivery stopped or stalled',
        last_error_details = jsonb_build_object('code', 'SYNC_LEASE_EXPIRED', 'worker', lease_owner),
        last_error_at = ${now}, lease_owner = null, lease_expires_at = null, next_retry_at = ${now}, updated_at = ${now}
    where sync_status = 'in_progress' and lease_expires_at < ${now}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Targets with runnable work, so a worker also drains targets whose configuration was removed. */
export async function targetsWithWork(db: Kysely<SyncDatabase>): Promise<string[]> {
  const rows = await db.selectFrom('sync_status').select('target_system').distinct().where('sync_status', '=', 'pending').where('held', '=', false).execute();
  return rows.map((row) => row.target_system);
}
