import { sql, type Kysely, type Transaction } from 'kysely';
import type { NewSyncEvent, SyncDatabase } from '../../db/schema.js';

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/**
 * Locks the source's cursor row (creating it), so one capture per source runs at a time. One
 * statement: ON CONFLICT DO UPDATE locks the existing row as FOR UPDATE would, waits for a
 * concurrent capture to commit, and returns the cursor that capture left.
 */
export async function lockCursor(trx: Transaction<SyncDatabase>, source: string, now: Date): Promise<string> {
  const row = await trx
    .insertInto('sync_source_cursors')
    .values({ source, cursor: '0', events_seen: '0', updated_at: now })
    .onConflict((conflict) => conflict.column('source').doUpdateSet({ source: (eb) => eb.ref('excluded.source') }))
    .returning('cursor')
    .executeTakeFirstOrThrow();
  return String(row.cursor);
}

export async function advanceCursor(
  trx: Transaction<SyncDatabase>,
  source: string,
  update: { cursor: string; seen: number; lastEventCreatedAt: Date | null; now: Date },
): Promise<void> {
  await trx
    .updateTable('sync_source_cursors')
    .set({
      cursor: update.cursor,
      events_seen: sql`events_seen + ${update.seen}`,
      ...(update.lastEventCreatedAt ? { last_event_created_at: update.lastEventCreatedAt, last_captured_at: update.now } : {}),
      last_polled_at: update.now,
      last_error: null,
      updated_at: update.now,
    })
    .where('source', '=', source)
    .execute();
}

export async function recordPoll(db: Db, source: string, now: Date, error?: string): Promise<void> {
  await db
    .insertInto('sync_source_cursors')
    .values({
      source,
      cursor: '0',
      events_seen: '0',
      updated_at: now,
      last_polled_at: now,
      last_error: error ?? null,
      last_error_at: error ? now : null,
    })
    .onConflict((conflict) =>
      conflict.column('source').doUpdateSet({ last_polled_at: now, ...(error ? { last_error: error, last_error_at: now } : {}) }),
    )
    .execute();
}

export async function readCursor(db: Db, source: string): Promise<string> {
  const row = await db.selectFrom('sync_source_cursors').select('cursor').where('source', '=', source).executeTakeFirst();
  return row ? String(row.cursor) : '0';
}

/** Claims ids not seen before; returns the ones that are new. */
export async function claimEventIds(
  trx: Transaction<SyncDatabase>,
  rows: { event_id: string; event_source: string; created_at: Date }[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await trx
    .insertInto('sync_event_ids')
    .values(rows)
    .onConflict((conflict) => conflict.column('event_id').doNothing())
    .returning('event_id')
    .execute();
  return new Set(inserted.map((row) => row.event_id));
}

export async function insertEvents(trx: Transaction<SyncDatabase>, rows: NewSyncEvent[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('sync_events').values(rows).execute();
}
