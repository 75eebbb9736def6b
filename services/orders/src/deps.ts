import type { FastifyRequest } from 'fastify';
import { commandContextOf, runCommand as runKernelCommand, type CommandContext } from '@tributary/platform/command';
import type { Clock } from '@tributary/platform/core';
import type { Kysely, Transaction } from '@tributary/platform/db';
import { OutboxNotifier } from '@tributary/platform/outbox';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import type { ServiceContext } from '@tributary/platform/service';
import { callerOf, type Caller } from './access.js';
import type { OrdersConfig } from './config.js';
import type { OrdersDatabase } from './db/schema.js';
import type { OrdersMetrics } from './metrics.js';

export type OrdersDb = Kysely<OrdersDatabase>;
export type OrdersTrx = Transaction<OrdersDatabase>;

/**
 * Everything orders' features are built from, made once per app (buildDeps). No feature is
 * handed the whole: each registration takes its slice below.
 */
export interface OrdersDeps {
  db: OrdersDb;
  clock: Clock;
  config: OrdersConfig;
  /** Wakes outbox long-polls after a commit that wrote events. */
  onEventsCommitted(): void;
  metrics: OrdersMetrics;
  /** The processing service, when its URL is configured (the /central/* pass-through and the trader and barcode routes). */
  processing: ServiceClient | undefined;
}

/** Who is calling (clock, config) and the command's one transaction (db, the outbox wake-up). */
export type CommandDeps = Pick<OrdersDeps, 'db' | 'clock' | 'config' | 'onEventsCommitted'>;

/** What each feature is handed. */
export type PlanDeps = CommandDeps;
export type ScheduleDeps = CommandDeps;
export type AdminDeps = CommandDeps;
export type OrderDeps = CommandDeps & Pick<OrdersDeps, 'metrics'>;
export type ShipmentDeps = CommandDeps & Pick<OrdersDeps, 'metrics'>;
export type EventInboxDeps = Pick<OrdersDeps, 'db' | 'clock' | 'config' | 'onEventsCommitted' | 'metrics'>;
export type CentralDeps = Pick<OrdersDeps, 'db' | 'config' | 'processing'>;
export type CentralProxyDeps = Pick<OrdersDeps, 'config' | 'processing'>;
/** Read-only lookups for peers: reconciliation and traceability. */
export type LookupDeps = Pick<OrdersDeps, 'db' | 'config'>;

/** The deps, and the notifier the outbox route waits on; the metrics live in the app's registry. */
export function buildDeps(
  context: ServiceContext<OrdersDatabase>,
  config: OrdersConfig,
  metrics: OrdersMetrics,
): { deps: OrdersDeps; notifier: OutboxNotifier } {
  const notifier = new OutboxNotifier();
  const processingUrl = context.peers.processing;
  const processing = processingUrl
    ? createServiceClient({ name: 'processing', baseUrl: processingUrl, credentials: context.credentials, scope: context.scope })
    : undefined;
  return {
    deps: { db: context.database.db, clock: context.clock, config, onEventsCommitted: () => notifier.notify(), metrics, processing },
    notifier,
  };
}

/** The kernel's command context (who, which request and trace, when) and what the caller may do. */
export interface Command extends CommandContext {
  caller: Caller;
}

export function commandFrom(request: FastifyRequest, deps: Pick<OrdersDeps, 'clock' | 'config'>): Command {
  return { ...commandContextOf(request, deps.clock), caller: callerOf(request, deps.config) };
}

/** One transaction per command, its events stamped with the command's metadata; readers woken after commit. */
export function runCommand<T>(
  deps: Pick<OrdersDeps, 'db' | 'onEventsCommitted'>,
  command: Command,
  fn: (trx: OrdersTrx) => Promise<T>,
): Promise<T> {
  return runKernelCommand(deps.db, command, fn, { onCommitted: deps.onEventsCommitted });
}
