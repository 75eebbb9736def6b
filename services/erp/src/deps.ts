import type { ServiceContext } from '@tributary/platform/service';
import { OutboxNotifier } from '@tributary/platform/outbox';
import { Scheduler, withTimings } from '@tributary/platform/scheduler';
import { loadErpConfig, loadErpJobTimings } from './config.js';
import type { ErpDatabase } from './db/schema.js';
import { erpJobs } from './features/jobs/jobs.js';
import { RuleCache } from './features/pricing/rule-cache.js';
import type { ErpDeps } from './shared/context.js';

export type { ErpDeps };

/** What one erp instance's HTTP app and its scheduler share. */
export interface ErpInstance {
  features: ErpDeps;
  notifier: OutboxNotifier;
  scheduler: Scheduler;
}

/**
 * The deps every erp feature is handed (ErpDeps), the notifier the outbox route waits on and
 * the scheduler of erp's jobs; built once per instance. A bad job schedule or zone in the
 * environment stops the service here, naming the variable.
 */
export function buildDeps(context: ServiceContext<ErpDatabase>): ErpInstance {
  const notifier = new OutboxNotifier();
  const config = loadErpConfig(context.env);
  const features: ErpDeps = {
    db: context.database.db,
    dialect: context.database.dialect,
    clock: context.clock,
    config,
    eventsCommitted: () => notifier.notify(),
    rules: new RuleCache(),
  };
  const scheduler = new Scheduler({
    service: context.name,
    db: context.database.db,
    clock: context.clock,
    logger: context.logger,
    jobs: withTimings(erpJobs(features), loadErpJobTimings(context.env, config)),
    onCommitted: () => notifier.notify(),
  });
  return { features, notifier, scheduler };
}
