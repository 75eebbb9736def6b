import type { Kysely } from '@tributary/platform/db';
import { sql } from '@tributary/platform/db';
import { parseJsonValue, positiveInteger, redactKeys } from '@tributary/platform/privacy';
import type { SyncDatabase } from '../../db/schema.js';
import { SYNC_PERSON_KEYS } from './privacy.declaration.js';

const DAY = 86_400_000;
/** Set in an event's metadata once its personal data is gone, so a row is scrubbed once. */
export const SCRUBBED_MARK = 'personal_data_removed';
export const REMOVED = '[removed]';

export interface SyncRetentionSettings {
  personalDays: number;
  intervalMs: number;
  batchSize: number;
}

/** `SYNC_PERSONAL_RETENTION_DAYS` (default 90), `PRIVACY_RETENTION_INTERVAL_MS` (default 1 h). */
export function syncRetentionSettings(env: Record<string, string | undefined>): SyncRetentionSettings {
  return {
    personalDays: positiveInteger(env, 'SYNC_PERSONAL_RETENTION_DAYS', 90),
    intervalMs: positiveInteger(env, 'PRIVACY_RETENTION_INTERVAL_MS', 3_600_000),
    batchSize: 500,
  };
}

/**
 * Stored events older than the retention keep what happened to which document, but lose who
 * caused it (user, address, session) and the personal fields inside the document and its
 * metadata. Runs in batches until none is left; safe on several replicas (a row already
 * marked is skipped, and a second scrub of it would change nothing).
 */
export async function applySyncRetention(db: Kysely<SyncDatabase>, now: number, settings: SyncRetentionSettings): Promise<number> {
  const before = new Date(now - settings.personalDays * DAY);
  let scrubbed = 0;
  for (;;) {
    const { rows } = await sql<{ id: string; created_at: Date; event_data: unknown; previous_data: unknown; metadata: unknown }>`
      select id, created_at, event_data, previous_data, metadata from sync_events
      where created_at < ${before} and coalesce(metadata ->> ${SCRUBBED_MARK}, '') <> 'true'
      order by created_at, id limit ${settings.batchSize}`.execute(db);
    if (rows.length === 0) return scrubbed;
    for (const row of rows) {
      const scrub = (value: unknown) => {
        const parsed = parseJsonValue(value);
        return parsed === undefined ? null : JSON.stringify(redactKeys(parsed, SYNC_PERSON_KEYS, REMOVED).value);
      };
      const metadata = parseJsonValue(row.metadata);
      const redacted =
        metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? redactKeys(metadata, SYNC_PERSON_KEYS, REMOVED).value : {};
      await sql`update sync_events set source_user = null, source_ip = null, source_session = null,
          event_data = ${scrub(row.event_data) ?? 'null'}, previous_data = ${scrub(row.previous_data)},
          metadata = ${JSON.stringify({ ...(redacted as Record<string, unknown>), [SCRUBBED_MARK]: true })}
        where id = ${row.id} and created_at = ${row.created_at}`.execute(db);
      scrubbed += 1;
    }
  }
}
