import type { Clock } from '@tributary/platform/core';
import type { DialectName, Kysely } from '@tributary/platform/db';
import { writeEvent } from '@tributary/platform/outbox';
import type { FastifyRequest } from 'fastify';
import type { ErpConfig } from '../config.js';
import type { ErpDatabase } from '../db/schema.js';

/** What every feature gets: the database, time, settings and a way to wake outbox readers. */
export interface ErpDeps {
  db: Kysely<ErpDatabase>;
  dialect: DialectName;
  clock: Clock;
  config: ErpConfig;
  /** Called after a commit that wrote events. */
  eventsCommitted(): void;
}

export interface Actor {
  user: string | undefined;
}

export function actorOf(request: FastifyRequest): Actor {
  const identity = request.identity;
  return { user: identity?.user ?? identity?.principal };
}

export type ErpEventType =
  | 'erp.customer.created'
  | 'erp.customer.updated'
  | 'erp.item.created'
  | 'erp.item.updated'
  | 'erp.warehouse.created'
  | 'erp.warehouse.updated'
  | 'erp.segment.created'
  | 'erp.segment.updated'
  | 'erp.customer.segment_assigned'
  | 'erp.customer.segment_ended'
  | 'erp.customer.territory_mapped'
  | 'erp.customer.territory_ended'
  | 'erp.customer.metrics_updated'
  | 'erp.batch.received'
  | 'erp.batch.consumed'
  | 'erp.batch.transferred'
  | 'erp.batch.adjusted'
  | 'erp.batch.movement_reversed'
  | 'erp.batch.status_changed'
  | 'erp.batch.expiring'
  | 'erp.stock.optimisation_updated'
  | 'erp.pricing_rule.created'
  | 'erp.pricing_rule.updated'
  | 'erp.pricing_rule.deactivated'
  | 'erp.pricing.applied';

export async function emit(
  trx: Kysely<any>,
  event: { type: ErpEventType; aggregateType: string; aggregateId: string; payload: unknown },
  actor?: Actor,
  now?: number,
): Promise<void> {
  await writeEvent(trx, { ...event, ...(actor?.user ? { metadata: { actor: actor.user } } : {}) }, now === undefined ? {} : { now: () => now });
}
