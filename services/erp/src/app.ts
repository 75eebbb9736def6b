import { dirname, resolve } from 'node:path';
import { parseDatabaseUrl, type Database } from '@tributary/platform/db';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { FieldCipher, loadMasterKeys, type MasterKeys } from '@tributary/platform/crypto';
import { IDEMPOTENCY_TABLE, registerIdempotency } from '@tributary/platform/idempotency';
import { registerOutboxRoute } from '@tributary/platform/outbox';
import { registerJobRoutes } from '@tributary/platform/scheduler';
import { keyringLookup, type ServiceContext } from '@tributary/platform/service';
import { guard } from './access.js';
import type { ErpConfig } from './config.js';
import { registerErpMetrics } from './metrics.js';
import { registerBatchRoutes } from './features/batches/batches.routes.js';
import { registerMasterRoutes } from './features/masters/masters.routes.js';
import { registerPricingRoutes } from './features/pricing/pricing.routes.js';
import { registerPricingExplainRoutes } from './features/pricing/explain.routes.js';
import { registerReportRoutes } from './features/reports/reports.routes.js';
import { registerSegmentRoutes } from './features/segments/segments.routes.js';
import { registerReviewQueueRoute } from './features/segments/review-queue.js';
import type { ErpDatabase } from './db/schema.js';
import { buildDeps, type ErpInstance } from './deps.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';
import { registerOrderRoutes } from './features/orders/orders.routes.js';
import { registerLowStockRoutes } from './features/low-stock/low-stock.routes.js';
import { registerUomRoutes } from './features/uoms/uoms.routes.js';
import { registerMaintenanceRoutes } from './features/maintenance/maintenance.routes.js';

/** What tests and benchmarks may set that a process reads from its environment. */
export interface ErpAppOptions {
  /** Master keys of field encryption; read from the configured key file when not given. */
  masterKeys?: MasterKeys;
  /** Milliseconds a replica trusts its idea of the active data key (rotation reaches it within this). */
  activeKeyTtlMs?: number;
}

/**
 * Where the master keys are: the configured key file; else, embedded, the data directory that
 * holds erp's PGlite directory (so `--data-dir` alone keeps keys and data together); else
 * TRIBUTARY_DATA_DIR (default `.tributary`).
 */
export function masterKeySource(config: ErpConfig, database: Pick<Database, 'dialect' | 'displayUrl'>): Record<string, string | undefined> {
  if (config.TRIBUTARY_MASTER_KEY_FILE) return { TRIBUTARY_MASTER_KEY_FILE: config.TRIBUTARY_MASTER_KEY_FILE };
  const { dialect, target } = parseDatabaseUrl(database.displayUrl);
  if (dialect === 'pglite' && target !== 'memory') return { TRIBUTARY_DATA_DIR: dirname(resolve(target)) };
  return { TRIBUTARY_DATA_DIR: config.TRIBUTARY_DATA_DIR };
}

/** Builds the ERP extensions HTTP app; apart from reading the master key file, no I/O happens until a request arrives. */
export async function buildApp(
  context: ServiceContext<ErpDatabase>,
  options: ErpAppOptions = {},
  instance: ErpInstance = buildDeps(context),
): Promise<HttpApp> {
  const { features, notifier, scheduler } = instance;
  const { db } = features;
  const app = await createHttpApp({
    name: 'erp',
    logger: context.logger,
    readiness: { database: () => context.database.ping() },
    auth: { region: context.scope.region, service: context.scope.service, lookup: keyringLookup(context.keyring) },
    requireRouteAccess: true,
  });
  const masterKeys = options.masterKeys ?? (await loadMasterKeys(masterKeySource(features.config, context.database)));
  const cipher = new FieldCipher({
    db,
    masterKeys,
    ...(options.activeKeyTtlMs === undefined ? {} : { activeKeyTtlMs: options.activeKeyTtlMs }),
  });
  app.addHook('onReady', () => cipher.prepare());
  // Replayed answers can carry customers' contact details: their stored copy is sealed too.
  const stored = { table: IDEMPOTENCY_TABLE, column: 'response_body' };
  registerIdempotency(app, {
    db,
    now: () => context.clock.now(),
    sealer: { seal: (body) => cipher.encrypt(body, stored), open: (sealed) => cipher.decrypt(sealed, stored) },
  });
  registerOutboxRoute(app, { db, wake: notifier.wait, access: guard(features.config, 'internalEvents') });
  registerMasterRoutes(app, features, cipher);
  registerUomRoutes(app, features);
  registerSegmentRoutes(app, features);
  registerReviewQueueRoute(app, features);
  registerBatchRoutes(app, features);
  registerPricingRoutes(app, features);
  registerPricingExplainRoutes(app, features);
  registerOrderRoutes(app, features);
  registerLowStockRoutes(app, features);
  registerReportRoutes(app, features);
  registerMaintenanceRoutes(app, features);
  registerJobRoutes(app, { scheduler, access: guard(features.config, 'jobs') });
  registerPrivacy(app, context.database, features.config);
  registerErpMetrics(app.metrics, features);
  return app;
}
