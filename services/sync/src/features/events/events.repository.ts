import type { Kysely } from 'kysely';
import { filteredPage, type ListPage } from '../../db/list-filter.js';
import type { ProcessingStatus, SyncDatabase, SyncStatusValue } from '../../db/schema.js';

export interface EventFilter extends ListPage {
  source?: string;
  name?: string;
  doctype?: string;
  docName?: string;
  user?: string;
  status?: ProcessingStatus;
}

export async function listEvents(db: Kysely<SyncDatabase>, filter: EventFilter) {
  const newestFirst = db.selectFrom('sync_events').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  return filteredPage(newestFirst, filter, {
    source: 'event_source',
    name: 'event_name',
    doctype: 'doctype',
    docName: 'doc_name',
    user: 'source_user',
    status: 'processing_status',
  }).execute();
}

export async function findEvent(db: Kysely<SyncDatabase>, eventId: string) {
  return db.selectFrom('sync_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
}

export interface StatusFilter extends ListPage {
  status?: SyncStatusValue;
  target?: string;
  source?: string;
  eventId?: string;
  entityType?: string;
  entityId?: string;
}

export async function listStatuses(db: Kysely<SyncDatabase>, filter: StatusFilter) {
  return filteredPage(db.selectFrom('sync_status').selectAll().orderBy('id', 'desc'), filter, {
    status: 'sync_status',
    target: 'target_system',
    source: 'source_system',
    eventId: 'event_id',
    entityType: 'entity_type',
    entityId: 'entity_id',
  }).execute();
}

export async function findStatus(db: Kysely<SyncDatabase>, syncId: string) {
  return db.selectFrom('sync_status').selectAll().where('sync_id', '=', syncId).executeTakeFirst();
}
