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
export async function claim(
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
      u.resolution_round, u.retry_count, u.max_retries, u.backoff_factor, u.retry_delay_ms, u.event_created_at, u.sync_metadata`.execute(
    db,
  );
  // RETURNING order is unspecified; deliver in arrival order.
  return result.rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** Targets with runnable work, so a worker also drains targets whose configuration was removed. */
export async function targetsWithWork(db: Kysely<SyncDatabase>): Promise<string[]> {
  const rows = await db
    .selectFrom('sync_status')
    .select('target_system')
    .distinct()
    .where('sync_status', '=', 'pending')
    .where('held', '=', false)
    .execute();
  return rows.map((row) => row.target_system);
}
