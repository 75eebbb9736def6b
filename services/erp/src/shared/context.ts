import {
  commandContextOf,
  metadataOf,
  runCommand as runKernelCommand,
  systemCommandContext,
  type CommandContext,
} from '@tributary/platform/command';
import type { Clock } from '@tributary/platform/core';
import type { AnyKysely, DialectName, Kysely, Transaction } from '@tributary/platform/db';
import { writeEvent } from '@tributary/platform/outbox';
import type { FastifyRequest } from 'fastify';
import type { ErpEventType } from '@tributary/contracts';
import type { ErpConfig } from '../config.js';
import type { RuleCache } from '../features/pricing/rule-cache.js';
import type { ErpDatabase } from '../db/schema.js';

/** What every feature gets: the database, time, settings and a way to wake outbox readers. */
export interface ErpDeps {
  db: Kysely<ErpDatabase>;
  dialect: DialectName;
  clock: Clock;
  config: ErpConfig;
  /** Called after a commit that wrote events. */
  eventsCommitted(): void;
  /** This replica's copy of the active pricing rules. */
  rules: RuleCache;
}

/** The kernel's command context, and the name erp documents record as owner/modified_by. */
export interface Actor extends CommandContext {
  user: string | undefined;
}

export function actorOf(request: FastifyRequest, deps: Pick<ErpDeps, 'clock'>): Actor {
  const identity = request.identity;
  return { ...commandContextOf(request, deps.clock), user: identity?.user ?? identity?.principal };
}

/** For erp's own jobs and seeds: a system actor with a trace of its own. */
export function systemActor(job: string, clock: Clock): Actor {
  return { ...systemCommandContext(job, clock), user: job };
}

/**
 * One transaction per command, outbox readers woken after it commits. Events written with
 * `emit` inside carry the command's request id, trace and actor.
 */
export function runCommand<T>(
  deps: Pick<ErpDeps, 'db' | 'eventsCommitted'>,
  actor: Actor,
  fn: (trx: Transaction<ErpDatabase>) => Promise<T>,
): Promise<T> {
  return runKernelCommand(deps.db, actor, fn, { onCommitted: () => deps.eventsCommitted() });
}

/** Event names are the shared contract (`@tributary/contracts` erp.ts), so they cannot drift. */
export type { ErpEventType };

export async function emit(
  trx: AnyKysely,
  event: { type: ErpEventType; aggregateType: string; aggregateId: string; payload: unknown },
  actor?: Actor,
  now?: number,
): Promise<void> {
  // Explicit rather than read from the transaction: some callers write in a transaction the
  // command was handed (an assignment locked by its caller), which carries the same actor.
  await writeEvent(trx, event, { ...(now === undefined ? {} : { now: () => now }), ...(actor ? { metadata: metadataOf(actor) } : {}) });
}
