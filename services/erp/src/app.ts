import type { Database } from '@tributary/platform/db';
import type { Clock, Logger } from '@tributary/platform/core';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import type { SigV4AuthOptions } from '@tributary/platform/auth';
import { registerIdempotency } from '@tributary/platform/idempotency';
import { OutboxNotifier, registerOutboxRoute } from '@tributary/platform/outbox';
import type { ErpConfig } from './config.js';
import { registerBatchRoutes } from './features/batches/batches.routes.js';
import { registerMasterRoutes } from './features/masters/masters.routes.js';
import { registerPricingRoutes } from './features/pricing/pricing.routes.js';
import { RuleCache } from './features/pricing/rule-cache.js';
import { registerSegmentRoutes } from './features/segments/segments.routes.js';
import type { ErpDeps } from './shared/context.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';

export interface ErpAppDeps {
  database: Database;
  logger: Logger;
  clock: Clock;
  config: ErpConfig;
  auth?: SigV4AuthOptions;
}

/** Builds the ERP extensions HTTP app; no I/O happens until a request arrives. */
export async function buildApp(deps: ErpAppDeps): Promise<HttpApp> {
  const notifier = new OutboxNotifier();
  const app = await createHttpApp({
    name: 'erp',
    logger: deps.logger,
    readiness: { database: () => deps.database.ping() },
    ...(deps.auth ? { auth: deps.auth } : {}),
  });
  const features: ErpDeps = {
    db: deps.database.db,
    dialect: deps.database.dialect,
    clock: deps.clock,
    config: deps.config,
    eventsCommitted: () => notifier.notify(),
    rules: new RuleCache(),
  };
  registerIdempotency(app, { db: deps.database.db, now: () => deps.clock.now() });
  registerOutboxRoute(app, { db: deps.database.db, wake: notifier.wait });
  registerMasterRoutes(app, features);
  registerSegmentRoutes(app, features);
  registerBatchRoutes(app, features);
  registerPricingRoutes(app, features);
  registerPrivacy(app, deps.database);
  return app;
}
