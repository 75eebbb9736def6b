import type { Kysely } from 'kysely';
import type { ProcessingStatus, SyncDatabase, SyncStatusValue } from '../../db/schema.js';

export interface EventFilter {
  source?: string;
  name?: string;
  doctype?: string;
  docName?: string;
  user?: string;
  status?: ProcessingStatus;
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
  if (filter.status) query = query.where('processing_status', '=', filter.status);
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
