import type { FastifyRequest } from 'fastify';
import { commandContextOf, runCommand as runKernelCommand, type CommandContext } from '@tributary/platform/command';
import type { Clock } from '@tributary/platform/core';
import type { Kysely, Transaction } from '@tributary/platform/db';
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

/** The kernel's command context (who, which request and trace, when) and what the caller may do. */
export interface Command extends CommandContext {
  caller: Caller;
}

export function commandFrom(request: FastifyRequest, deps: OrdersDeps): Command {
  return { ...commandContextOf(request, deps.clock), caller: callerOf(request, deps.config) };
}

/** One transaction per command, its events stamped with the command's metadata; readers woken after commit. */
export function runCommand<T>(deps: OrdersDeps, command: Command, fn: (trx: OrdersTrx) => Promise<T>): Promise<T> {
  return runKernelCommand(deps.db, command, fn, { onCommitted: deps.onEventsCommitted });
}
