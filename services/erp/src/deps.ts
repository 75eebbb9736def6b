import type { ServiceContext } from '@tributary/platform/service';
import { OutboxNotifier } from '@tributary/platform/outbox';
import { loadErpConfig } from './config.js';
import type { ErpDatabase } from './db/schema.js';
import { RuleCache } from './features/pricing/rule-cache.js';
import type { ErpDeps } from './shared/context.js';

export type { ErpDeps };

/** The deps every erp feature is handed (ErpDeps), and the notifier the outbox route waits on; built once per app. */
export function buildDeps(context: ServiceContext<ErpDatabase>): { features: ErpDeps; notifier: OutboxNotifier } {
  const notifier = new OutboxNotifier();
  const features: ErpDeps = {
    db: context.database.db,
    dialect: context.database.dialect,
    clock: context.clock,
    config: loadErpConfig(context.env),
    eventsCommitted: () => notifier.notify(),
    rules: new RuleCache(),
  };
  return { features, notifier };
}
