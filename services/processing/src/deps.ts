import { ordersApi } from '@tributary/contracts';
import { nameSet } from '@tributary/platform/core';
import { OutboxNotifier } from '@tributary/platform/outbox';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import { Scheduler, withTimings } from '@tributary/platform/scheduler';
import type { ServiceContext } from '@tributary/platform/service';
import { loadProcessingJobTimings, readConfig, type ProcessingConfig } from './config.js';
import type { ProcessingDb } from './db/schema.js';
import type { FeatureDeps } from './features/deps.js';
import { reconciliationJob } from './features/reconcile/reconcile.job.js';
import type { ReconciliationDeps } from './features/reconcile/reports.service.js';

export type { FeatureDeps };

/**
 * Everything processing's features are built from, made once per app from the context. Each
 * feature is then handed only its part: the database side (FeatureDeps), the orders client,
 * a setting.
 */
export interface ProcessingDeps {
  config: ProcessingConfig;
  features: FeatureDeps;
  notifier: OutboxNotifier;
  /** The orders service, when its URL is configured (shipments, dispatch, reconciliation). */
  orders: ServiceClient | undefined;
  /** Signing principals allowed to deliver events to POST /internal/events. */
  deliverers: ReadonlySet<string>;
  /** What the MTP reconciliation run needs: the route's and the daily job's (runMtpReconciliation). */
  reconciliation: ReconciliationDeps;
  /** Signing principals that may run and read reconciliation reports without a user. */
  reconcilers: ReadonlySet<string>;
  /**
   * The daily MTP reconciliation's timer (ADR 0031). Without an orders URL there is nothing to
   * reconcile against, so the scheduler then has no job.
   */
  scheduler: Scheduler;
}

export function buildDeps(context: ServiceContext<ProcessingDb>): ProcessingDeps {
  const config = readConfig(context.env);
  const notifier = new OutboxNotifier();
  const ordersUrl = context.peers.orders;
  const orders = ordersUrl
    ? createServiceClient({
        name: 'orders',
        baseUrl: ordersUrl,
        credentials: context.credentials,
        scope: context.scope,
        timeoutMs: config.ORDERS_TIMEOUT_MS,
        breaker: {
          consecutiveFailures: config.ORDERS_BREAKER_FAILURES,
          halfOpenAfterMs: config.ORDERS_BREAKER_OPEN_MS,
          onStateChange: (change) =>
            context.logger.warn(
              { upstream: change.name, from: change.from, to: change.to, reason: change.reason },
              'circuit to orders changed state',
            ),
        },
      })
    : undefined;
  const features: FeatureDeps = {
    db: context.database.db,
    clock: context.clock,
    logger: context.logger,
    eventsCommitted: () => notifier.notify(),
  };
  const reconciliation: ReconciliationDeps = {
    db: features.db,
    clock: features.clock,
    logger: features.logger,
    orders: orders ? ordersApi(orders) : undefined,
    pageSize: config.RECONCILIATION_PAGE_SIZE,
    leaseMs: config.RECONCILIATION_LEASE_MS,
  };
  const scheduler = new Scheduler({
    service: context.name,
    db: context.database.db,
    clock: context.clock,
    logger: context.logger,
    jobs: withTimings(orders ? [reconciliationJob(reconciliation)] : [], loadProcessingJobTimings(context.env, config)),
    onCommitted: () => notifier.notify(),
  });
  return {
    config,
    notifier,
    orders,
    deliverers: nameSet(config.PROCESSING_EVENT_DELIVERERS),
    features,
    reconciliation,
    reconcilers: nameSet(config.PROCESSING_RECONCILERS),
    scheduler,
  };
}
