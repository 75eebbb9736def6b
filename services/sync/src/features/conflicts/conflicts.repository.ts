import type { Kysely, Transaction } from 'kysely';
import { filteredPage, type ListPage } from '../../db/list-filter.js';
import type { ConflictType, ResolutionStatus, ResolutionStrategy, SyncConflictRow, SyncDatabase } from '../../db/schema.js';

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/** The actor recorded on conflicts settled by rule, without a person. */
export const SYSTEM_RESOLVER = 'system';

export interface NewConflict {
  syncStatusId: string;
  eventId: string;
  entityType: string;
  entityId: string;
  conflictType: ConflictType;
  severity: string;
  sourceValue: unknown;
  targetValue: unknown;
  sourceVersion: string | null;
  targetVersion: string;
  autoResolvable: boolean;
  affects: { customer: boolean; inventory: boolean; financials: boolean };
  now: Date;
}

export async function insertConflict(db: Db, conflict: NewConflict): Promise<SyncConflictRow> {
  return db
    .insertInto('sync_conflicts')
    .values({
      sync_status_id: conflict.syncStatusId,
      event_id: conflict.eventId,
      entity_type: conflict.entityType,
      entity_id: conflict.entityId,
      conflict_type: conflict.conflictType,
      conflict_severity: conflict.severity,
      source_value: JSON.stringify(conflict.sourceValue ?? null),
      target_value: JSON.stringify(conflict.targetValue ?? null),
      source_version: conflict.sourceVersion,
      target_version: conflict.targetVersion,
      auto_resolvable: conflict.autoResolvable,
      affects_customer: conflict.affects.customer,
      affects_inventory: conflict.affects.inventory,
      affects_financials: conflict.affects.financials,
      detected_at: conflict.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function audit(
  db: Db,
  entry: { conflictId: string; action: string; actor: string; from?: string | null; to?: string | null; details?: unknown; at: Date },
): Promise<void> {
  await db
    .insertInto('sync_conflict_audit')
    .values({
      conflict_id: entry.conflictId,
      action: entry.action,
      actor: entry.actor,
      from_status: entry.from ?? null,
      to_status: entry.to ?? null,
      details: entry.details === undefined ? null : JSON.stringify(entry.details),
      at: entry.at,
    })
    .execute();
}

export interface ConflictChange {
  status?: ResolutionStatus;
  strategy?: ResolutionStrategy;
  resolvedValue?: unknown;
  reason?: string;
  confidence?: string;
  resolvedBy?: string;
  resolvedAt?: Date;
  assignedTo?: string;
  escalatedTo?: string;
}

export async function updateConflict(db: Db, conflictId: string, change: ConflictChange): Promise<void> {
  await db
    .updateTable('sync_conflicts')
    .set({
      ...(change.status ? { resolution_status: change.status } : {}),
      ...(change.strategy ? { resolution_strategy: change.strategy } : {}),
      ...(change.resolvedValue !== undefined ? { resolved_value: JSON.stringify(change.resolvedValue) } : {}),
      ...(change.reason !== undefined ? { resolution_reason: change.reason } : {}),
      ...(change.confidence !== undefined ? { resolution_confidence: change.confidence } : {}),
      ...(change.resolvedBy ? { resolved_by: change.resolvedBy } : {}),
      ...(change.resolvedAt ? { resolved_at: change.resolvedAt } : {}),
      ...(change.assignedTo ? { assigned_to: change.assignedTo } : {}),
      ...(change.escalatedTo ? { escalated_to: change.escalatedTo } : {}),
    })
    .where('conflict_id', '=', conflictId)
    .execute();
}

export async function findConflict(db: Db, conflictId: string, lock = false): Promise<SyncConflictRow | undefined> {
  let query = db.selectFrom('sync_conflicts').selectAll().where('conflict_id', '=', conflictId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface ConflictFilter extends ListPage {
  status?: ResolutionStatus;
  assignedTo?: string;
  entityType?: string;
  entityId?: string;
}

export async function listConflicts(db: Db, filter: ConflictFilter): Promise<SyncConflictRow[]> {
  return filteredPage(db.selectFrom('sync_conflicts').selectAll().orderBy('id', 'desc'), filter, {
    status: 'resolution_status',
    assignedTo: 'assigned_to',
    entityType: 'entity_type',
    entityId: 'entity_id',
  }).execute();
}

/** The delivery a conflict holds up, as the conflict's detail shows it. */
export async function findDelivery(db: Db, syncStatusId: string) {
  return db
    .selectFrom('sync_status')
    .select(['sync_id', 'sync_status', 'target_system', 'resolution_round', 'completed_at'])
    .where('id', '=', syncStatusId)
    .executeTakeFirst();
}

export async function auditTrail(db: Db, conflictId: string) {
  return db.selectFrom('sync_conflict_audit').selectAll().where('conflict_id', '=', conflictId).orderBy('id').execute();
}
