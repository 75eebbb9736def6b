import { sql, type Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

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

/** Lets a batch configuration's held deliveries go; workers then deliver them in batch_size claims. */
export async function releaseHeld(db: Kysely<SyncDatabase>, configId: string, now: Date): Promise<number> {
  const result = await sql`
    update sync_status set held = false, next_retry_at = ${now}, updated_at = ${now}
    where config_id = ${configId} and held and sync_status = 'pending'`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
