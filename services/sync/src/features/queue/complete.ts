import { sql, type Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

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
export async function complete(db: Kysely<SyncDatabase>, completions: readonly Completion[]): Promise<number> {
  if (completions.length === 0) return 0;
  const values = sql.join(
    completions.map(
      (c) =>
        sql`(${c.id}::bigint, ${c.round}::int, ${c.durationMs}::int, ${c.completedAt}::timestamptz, ${c.ack}::text, ${c.transformed}::jsonb)`,
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
