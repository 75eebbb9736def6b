import type { FastifyRequest } from 'fastify';
import type { Clock } from '@tributary/platform/core';
import { inTransaction, type Kysely, type Transaction } from '@tributary/platform/db';
import { callerOf, type Caller } from './access.js';
import type { OrdersConfig } from './config.js';
import type { OrdersDatabase } from './db/schema.js';
import type { OrdersMetrics } from './metrics.js';

export type OrdersDb = Kysely<OrdersDatabase>;
export type OrdersTrx = Transaction<OrdersDatabase>;

/** What every feature service is handed. */
export interface OrdersDeps {
  db: OrdersDb;
  clock: Clock;
  config: OrdersConfig;
  /** Wakes outbox long-polls after a commit that wrote events. */
  onEventsCommitted(): void;
  metrics: OrdersMetrics;
}

/** Who asks, when, and what travels with the events they cause. */
export interface Command {
  caller: Caller;
  now: number;
  metadata: Record<string, unknown>;
}

export function commandFrom(request: FastifyRequest, deps: OrdersDeps): Command {
  const caller = callerOf(request, deps.config);
  return {
    caller,
    now: deps.clock.now(),
    metadata: { requestId: request.id, traceparent: request.trace.traceparent, actor: caller.actor },
  };
}

/** One transaction per command; outbox readers are woken once it has committed. */
export async function runCommand<T>(deps: OrdersDeps, fn: (trx: OrdersTrx) => Promise<T>): Promise<T> {
  const result = await inTransaction(deps.db, fn);
  deps.onEventsCommitted();
  return result;
}
