import type { Kysely } from 'kysely';
import type { Clock } from '@tributary/platform/core';
import { inTransaction } from '@tributary/platform/db';
import type { ResolutionStrategy, SyncConflictRow, SyncDatabase } from '../../db/schema.js';
import { SyncError } from '../../errors.js';
import type { ConflictPolicy } from '../configurations/configurations.schemas.js';
import type { BusinessRules } from './business-rules.js';
import { park, resolve as resolveDelivery, type Resolution, type StatusAfterConflict } from '../queue/index.js';
import { audit, findConflict, insertConflict, SYSTEM_RESOLVER as SYSTEM, updateConflict } from './conflicts.repository.js';
import { mergeFields } from './merge.js';

export interface ConflictDeps {
  db: Kysely<SyncDatabase>;
  clock: Clock;
  rules: BusinessRules;
  /** Wakes workers when a resolution queues a redelivery. */
  onRedeliver?: () => void;
}

export interface DetectedConflict {
  syncStatusId: string;
  round: number;
  eventId: string;
  eventName: string;
  entityType: string;
  entityId: string;
  /** What was sent (after mappings). */
  sourceValue: unknown;
  sourceVersion: string | null;
  targetVersion: string;
  targetData: unknown;
  policy: ConflictPolicy | undefined;
}

const OPEN = ['pending', 'escalated'];

/**
 * A target answered 409 SYNC_VERSION_CONFLICT: record the conflict and settle it by the
 * configuration's strategy, all in one transaction with the delivery's next state, so a crash
 * leaves either no trace (the delivery is redone) or the whole decision.
 */
export async function handleDetectedConflict(
  deps: ConflictDeps,
  detected: DetectedConflict,
): Promise<{ conflict: SyncConflictRow; next: StatusAfterConflict['kind'] }> {
  const policy = detected.policy ?? { strategy: 'manual' };
  const outcome = await inTransaction(deps.db, async (trx) => {
    const now = new Date(deps.clock.now());
    const row = await insertConflict(trx, {
      syncStatusId: detected.syncStatusId,
      eventId: detected.eventId,
      entityType: detected.entityType,
      entityId: detected.entityId,
      conflictType: 'version_mismatch',
      severity: policy.severity ?? 'medium',
      sourceValue: detected.sourceValue,
      targetValue: detected.targetData,
      sourceVersion: detected.sourceVersion,
      targetVersion: detected.targetVersion,
      autoResolvable: policy.autoResolveVersionMismatch ?? false,
      affects: affects(detected.entityType),
      now,
    });
    await audit(trx, {
      conflictId: row.conflict_id,
      action: 'detected',
      actor: SYSTEM,
      to: 'pending',
      details: { targetVersion: detected.targetVersion, sourceVersion: detected.sourceVersion },
      at: now,
    });
    let next: StatusAfterConflict;
    if (row.resolution_status === 'resolved') {
      // The database trigger resolved it (auto-resolvable version mismatch): source wins.
      await audit(trx, {
        conflictId: row.conflict_id,
        action: 'auto_resolved',
        actor: row.resolved_by ?? 'system_auto_resolver',
        from: 'pending',
        to: 'resolved',
        at: now,
      });
      next = { kind: 'redeliver', payload: row.resolved_value, resolution: 'source_wins', conflictId: row.conflict_id };
    } else {
      next = await settleByStrategy(deps, trx, row, detected, policy, now);
    }
    const facts = {
      now,
      fromStatuses: ['in_progress' as const],
      round: detected.round,
      targetVersion: detected.targetVersion,
      targetData: detected.targetData,
    };
    const moved =
      next.kind === 'await'
        ? await park(trx, detected.syncStatusId, next.conflictId, facts)
        : await resolveDelivery(trx, detected.syncStatusId, next, facts);
    if (!moved) throw SyncError.SYNC_DELIVERY_SUPERSEDED('The delivery moved on while its conflict was being recorded');
    return { conflict: (await findConflict(trx, row.conflict_id))!, next: next.kind };
  });
  if (outcome.next === 'redeliver') deps.onRedeliver?.();
  return outcome;
}

async function settleByStrategy(
  deps: ConflictDeps,
  trx: Kysely<SyncDatabase>,
  row: SyncConflictRow,
  detected: DetectedConflict,
  policy: ConflictPolicy,
  now: Date,
): Promise<StatusAfterConflict> {
  const conflictId = row.conflict_id;
  const resolve = async (strategy: ResolutionStrategy, value: unknown, reason: string, confidence = '1.00') => {
    await updateConflict(trx, conflictId, {
      status: 'resolved',
      strategy,
      resolvedValue: value ?? null,
      reason,
      confidence,
      resolvedBy: SYSTEM,
      resolvedAt: now,
    });
    await audit(trx, {
      conflictId,
      action: 'resolved',
      actor: SYSTEM,
      from: 'pending',
      to: 'resolved',
      details: { strategy, reason },
      at: now,
    });
  };
  const awaitPerson = async (strategy: ResolutionStrategy, reason: string, details?: unknown) => {
    await updateConflict(trx, conflictId, { strategy, reason });
    await audit(trx, {
      conflictId,
      action: 'queued_for_review',
      actor: SYSTEM,
      from: 'pending',
      to: 'pending',
      details: details ?? { reason },
      at: now,
    });
    return { kind: 'await', conflictId } as const;
  };
  switch (policy.strategy) {
    case 'source_wins':
      await resolve('source_wins', detected.sourceValue, 'source is authoritative');
      return { kind: 'redeliver', payload: detected.sourceValue, resolution: 'source_wins', conflictId };
    case 'target_wins':
      await resolve('target_wins', detected.targetData, 'target keeps its version');
      return { kind: 'complete', resolution: 'target_wins', conflictId };
    case 'merge': {
      const merged = mergeFields(detected.sourceValue, detected.targetData, policy.fieldRules ?? {});
      if (!merged.resolved) return awaitPerson('merge', 'some fields need a person', { fields: merged.conflicts });
      await resolve(
        'merge',
        merged.resolvedData,
        JSON.stringify(merged.conflicts.map(({ field, resolution, reason }) => ({ field, resolution, reason }))),
      );
      return { kind: 'redeliver', payload: merged.resolvedData, resolution: 'merge', conflictId };
    }
    case 'business_rule': {
      const decision = deps.rules.apply(policy.rule ?? '', {
        entityType: detected.entityType,
        entityId: detected.entityId,
        eventName: detected.eventName,
        source: detected.sourceValue,
        target: detected.targetData,
        sourceVersion: detected.sourceVersion,
        targetVersion: detected.targetVersion,
      });
      switch (decision.action) {
        case 'source':
          await resolve('business_rule', detected.sourceValue, decision.reason);
          return { kind: 'redeliver', payload: detected.sourceValue, resolution: 'business_rule', conflictId };
        case 'value':
          await resolve('business_rule', decision.value, decision.reason);
          return { kind: 'redeliver', payload: decision.value, resolution: 'business_rule', conflictId };
        case 'target':
          await resolve('business_rule', detected.targetData, decision.reason);
          return { kind: 'complete', resolution: 'business_rule', conflictId };
        case 'manual':
          return awaitPerson('business_rule', decision.reason);
      }
      break;
    }
    case 'manual':
      return awaitPerson('manual', 'configured for manual resolution');
  }
  return awaitPerson('manual', 'no strategy applies');
}

function affects(entityType: string) {
  const type = entityType.toLowerCase();
  return {
    customer: /customer|account|contact/.test(type),
    inventory: /item|batch|stock|inventory|bag|allocation/.test(type),
    financials: /pric|invoice|payment|order/.test(type),
  };
}

/* ---------------- the manual workflow: assign → review → resolve (or escalate / ignore) ---------------- */

export type ManualChoice = { choice: 'source' } | { choice: 'target' } | { choice: 'custom'; value: unknown };

async function openConflict(trx: Kysely<SyncDatabase>, conflictId: string): Promise<SyncConflictRow> {
  const row = await findConflict(trx, conflictId, true);
  if (!row) throw SyncError.SYNC_CONFLICT_NOT_FOUND(`No conflict ${conflictId}`);
  if (!OPEN.includes(row.resolution_status)) {
    throw SyncError.SYNC_CONFLICT_ALREADY_CLOSED(`Conflict is ${row.resolution_status}`, {
      details: { resolutionStatus: row.resolution_status },
    });
  }
  return row;
}

export async function assignConflict(deps: ConflictDeps, conflictId: string, assignee: string, actor: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const row = await openConflict(trx, conflictId);
    const now = new Date(deps.clock.now());
    await updateConflict(trx, conflictId, { assignedTo: assignee });
    await audit(trx, {
      conflictId,
      action: 'assigned',
      actor,
      from: row.resolution_status,
      to: row.resolution_status,
      details: { assignee, previous: row.assigned_to },
      at: now,
    });
  });
}

export async function reviewConflict(deps: ConflictDeps, conflictId: string, note: string, actor: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const row = await openConflict(trx, conflictId);
    await audit(trx, {
      conflictId,
      action: 'reviewed',
      actor,
      from: row.resolution_status,
      to: row.resolution_status,
      details: { note },
      at: new Date(deps.clock.now()),
    });
  });
}

export async function escalateConflict(deps: ConflictDeps, conflictId: string, to: string, reason: string, actor: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const row = await openConflict(trx, conflictId);
    await updateConflict(trx, conflictId, { status: 'escalated', escalatedTo: to });
    await audit(trx, {
      conflictId,
      action: 'escalated',
      actor,
      from: row.resolution_status,
      to: 'escalated',
      details: { to, reason },
      at: new Date(deps.clock.now()),
    });
  });
}

export async function ignoreConflict(deps: ConflictDeps, conflictId: string, reason: string, actor: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const row = await openConflict(trx, conflictId);
    const now = new Date(deps.clock.now());
    await updateConflict(trx, conflictId, { status: 'ignored', reason, resolvedBy: actor, resolvedAt: now });
    await resolveDelivery(
      trx,
      row.sync_status_id,
      { kind: 'skip', resolution: 'ignored', conflictId },
      { now, fromStatuses: ['conflict'] },
    );
    await audit(trx, { conflictId, action: 'ignored', actor, from: row.resolution_status, to: 'ignored', details: { reason }, at: now });
  });
}

/** A person's decision: the chosen or edited value goes to the target (forced), or the target's stays. */
export async function resolveConflict(
  deps: ConflictDeps,
  conflictId: string,
  decision: ManualChoice,
  reason: string,
  actor: string,
): Promise<void> {
  let redeliver = false;
  await inTransaction(deps.db, async (trx) => {
    const row = await openConflict(trx, conflictId);
    const now = new Date(deps.clock.now());
    if (decision.choice === 'custom' && decision.value === undefined)
      throw SyncError.SYNC_CONFLICT_VALUE_REQUIRED('A custom resolution needs a value');
    const value = decision.choice === 'source' ? row.source_value : decision.choice === 'target' ? row.target_value : decision.value;
    await updateConflict(trx, conflictId, {
      status: 'resolved',
      strategy: 'manual',
      resolvedValue: value,
      reason,
      confidence: '1.00',
      resolvedBy: actor,
      resolvedAt: now,
    });
    const next: Resolution =
      decision.choice === 'target'
        ? { kind: 'complete', resolution: 'manual:target', conflictId }
        : { kind: 'redeliver', payload: value, resolution: `manual:${decision.choice}`, conflictId };
    await resolveDelivery(trx, row.sync_status_id, next, { now, fromStatuses: ['conflict'] });
    await audit(trx, {
      conflictId,
      action: 'resolved',
      actor,
      from: row.resolution_status,
      to: 'resolved',
      details: { choice: decision.choice, reason, value },
      at: now,
    });
    redeliver = next.kind === 'redeliver';
  });
  if (redeliver) deps.onRedeliver?.();
}
