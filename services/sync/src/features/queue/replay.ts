import { sql, type Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

/**
 * Puts parked deliveries back in the queue with a fresh retry budget. Only failed (or skipped)
 * ones: replaying a completed delivery could overtake later events of its aggregate.
 */
export async function replay(
  db: Kysely<SyncDatabase>,
  filter: { syncIds?: string[]; target?: string; source?: string; statuses: ('failed' | 'skipped')[]; limit: number },
  now: Date,
): Promise<string[]> {
  const result = await sql<{ sync_id: string }>`
    update sync_status set sync_status = 'pending', retry_count = 0, next_retry_at = ${now}, lease_owner = null, lease_expires_at = null,
      updated_at = ${now}, sync_metadata = coalesce(sync_metadata, '{}'::jsonb) || jsonb_build_object('replayedAt', ${now.toISOString()}::text)
    where id in (
      select id from sync_status
      where sync_status in (${sql.join(filter.statuses)})
        ${filter.syncIds ? sql`and sync_id::text in (${sql.join(filter.syncIds)})` : sql``}
        ${filter.target ? sql`and target_system = ${filter.target}` : sql``}
        ${filter.source ? sql`and source_system = ${filter.source}` : sql``}
      order by id
      limit ${filter.limit}
      for update skip locked)
    returning sync_id`.execute(db);
  return result.rows.map((row) => row.sync_id);
}
