import { sql, type Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

/**
 * Deletes finished deliveries last touched before `cutoff`. Statuses that carry a conflict stay:
 * the conflict's audit trail is kept for years and points at them.
 */
export async function purge(db: Kysely<SyncDatabase>, cutoff: Date): Promise<number> {
  const result = await sql`
    delete from sync_status s
    where s.sync_status in ('completed', 'skipped') and s.updated_at < ${cutoff}
      and not exists (select 1 from sync_conflicts c where c.sync_status_id = s.id)`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
