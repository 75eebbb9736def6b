import { sql, type Kysely, type Transaction } from 'kysely';
import type { SyncDatabase, SyncStatusValue } from '../../db/schema.js';

type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

export type StatusAfterConflict =
  | { kind: 'redeliver'; payload: unknown; resolution: string; conflictId: string }
  | { kind: 'complete'; resolution: string; conflictId: string }
  | { kind: 'skip'; resolution: string; conflictId: string }
  | { kind: 'await'; conflictId: string };

export interface ResolveFacts {
  now: Date;
  /** The statuses the delivery may be in: a row that moved on meanwhile is left alone (false). */
  fromStatuses: SyncStatusValue[];
  /** Fences a detected conflict on the round that was sent. */
  round?: number;
  targetVersion?: string;
  targetData?: unknown;
}

/** A decision that moves the delivery on (everything but waiting for a person). */
export type Resolution = Exclude<StatusAfterConflict, { kind: 'await' }>;

/**
 * Moves the delivery on after a conflict decision. A redelivery is a new resolution round:
 * forced, carrying the resolved payload, with its own idempotency key.
 */
export async function resolve(db: Db, syncStatusId: string, next: Resolution, facts: ResolveFacts): Promise<boolean> {
  return afterConflict(db, syncStatusId, next, facts);
}

/** A conflict waits for a person: the delivery holds its aggregate in `conflict` until resolved. */
export async function park(db: Db, syncStatusId: string, conflictId: string, facts: ResolveFacts): Promise<boolean> {
  return afterConflict(db, syncStatusId, { kind: 'await', conflictId }, facts);
}

// park and resolve share one statement: both clear the lease, record the target's version and
// tag the conflict in sync_metadata; only the status and the redelivery columns differ.
async function afterConflict(db: Db, syncStatusId: string, next: StatusAfterConflict, facts: ResolveFacts): Promise<boolean> {
  const meta = { conflictId: next.conflictId, ...(next.kind !== 'await' ? { resolution: next.resolution } : {}) };
  const common = {
    lease_owner: null,
    lease_expires_at: null,
    updated_at: facts.now,
    ...(facts.targetVersion !== undefined ? { target_version: facts.targetVersion } : {}),
    ...(facts.targetData !== undefined ? { target_data: JSON.stringify(facts.targetData ?? null) } : {}),
    sync_metadata: sql`coalesce(sync_metadata, '{}'::jsonb) || ${JSON.stringify(meta)}::jsonb`,
  } as const;
  let query = db.updateTable('sync_status').where('id', '=', syncStatusId).where('sync_status', 'in', facts.fromStatuses);
  if (facts.round !== undefined) query = query.where('resolution_round', '=', facts.round);
  const set =
    next.kind === 'redeliver'
      ? query.set((eb) => ({
          ...common,
          sync_status: 'pending' as const,
          force_apply: true,
          transformed_data: JSON.stringify(next.payload ?? null),
          resolution_round: eb('resolution_round', '+', 1),
          next_retry_at: facts.now,
        }))
      : next.kind === 'complete'
        ? query.set({ ...common, sync_status: 'completed', completed_at: facts.now })
        : next.kind === 'skip'
          ? query.set({ ...common, sync_status: 'skipped', completed_at: facts.now })
          : query.set({ ...common, sync_status: 'conflict' });
  const result = await set.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An operator lets a parked delivery go, so later events of its aggregate may flow. */
export async function skip(db: Kysely<SyncDatabase>, syncId: string, reason: string, now: Date): Promise<boolean> {
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
