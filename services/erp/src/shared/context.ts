import type { Clock } from '@tributary/platform/core';
import type { AnyKysely, DialectName, Kysely } from '@tributary/platform/db';
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

export interface Actor {
  user: string | undefined;
}

export function actorOf(request: FastifyRequest): Actor {
  const identity = request.identity;
  return { user: identity?.user ?? identity?.principal };
}

/** Event names are the shared contract (`@tributary/contracts` erp.ts), so they cannot drift. */
export type { ErpEventType };

export async function emit(
  trx: AnyKysely,
  event: { type: ErpEventType; aggregateType: string; aggregateId: string; payload: unknown },
  actor?: Actor,
  now?: number,
): Promise<void> {
  await writeEvent(trx, { ...event, ...(actor?.user ? { metadata: { actor: actor.user } } : {}) }, now === undefined ? {} : { now: () => now });
}
