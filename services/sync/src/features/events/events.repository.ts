import { sql, type Kysely } from 'kysely';
import type { SyncDatabase, SyncStatusValue } from '../../db/schema.js';

export interface EventFilter {
  source?: string;
  name?: string;
  doctype?: string;
  docName?: string;
  user?: string;
  status?: string;
  limit: number;
  beforeId?: string;
}

export async function listEvents(db: Kysely<SyncDatabase>, filter: EventFilter) {
  let query = db.selectFrom('sync_events').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
  if (filter.source) query = query.where('event_source', '=', filter.source);
  if (filter.name) query = query.where('event_name', '=', filter.name);
  if (filter.doctype) query = query.where('doctype', '=', filter.doctype);
  if (filter.docName) query = query.where('doc_name', '=', filter.docName);
  if (filter.user) query = query.where('source_user', '=', filter.user);
  if (filter.status) query = query.where('processing_status', '=', filter.status as any);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.execute();
}

export async function findEvent(db: Kysely<SyncDatabase>, eventId: string) {
  return db.selectFrom('sync_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
}

export interface StatusFilter {
  status?: SyncStatusValue;
  target?: string;
  source?: string;
  eventId?: string;
  entityType?: string;
  entityId?: string;
  limit: number;
  beforeId?: string;
}

export async function listStatuses(db: Kysely<SyncDatabase>, filter: StatusFilter) {
  let query = db.selectFrom('sync_status').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.status) query = query.where('sync_status', '=', filter.status);
  if (filter.target) query = query.where('target_system', '=', filter.target);
  if (filter.source) query = query.where('source_system', '=', filter.source);
  if (filter.eventId) query = query.where('event_id', '=', filter.eventId);
  if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.execute();
}

export async function findStatus(db: Kysely<SyncDatabase>, syncId: string) {
  return db.selectFrom('sync_status').selectAll().where('sync_id', '=', syncId).executeTakeFirst();
}

/**
 * Puts parked deliveries back in the queue with a fresh retry budget. Only failed (or skipped)
 * ones: replaying a completed delivery could overtake later events of its aggregate.
 */
export async function replayStatuses(
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

/** An operator lets a parked delivery go, so later events of its aggregate may flow. */
export async function skipStatus(db: Kysely<SyncDatabase>, syncId: string, reason: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('sync_status')
    .set({
      sync_status: 'skipped',
      completed_at: now,
      updated_at: now,
      sync_metadata: sql`coalesce(sync_metadata, '{}'::jsonb) || ${JSON.stringify({ skippedReason: reason })}::jsonb`,
    })
    .where('sync_id', '=', syncId)
    .where('sync_status', 'in', ['failed', 'pending'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
