import { ordersApi } from '@tributary/contracts';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { registerIdempotency } from '@tributary/platform/idempotency';
import { registerOutboxRoute } from '@tributary/platform/outbox';
import { registerJobRoutes } from '@tributary/platform/scheduler';
import { keyringLookup, type ServiceContext } from '@tributary/platform/service';
import type { ProcessingDb } from './db/schema.js';
import { buildDeps, type ProcessingDeps } from './deps.js';
import { reconcileAccess, RECONCILE_RUNNERS } from './access.js';
import { registerAllocationRoutes } from './features/allocations/allocations.routes.js';
import { registerDispatchRoutes } from './features/dispatch/dispatch.routes.js';
import { registerOrdersCopyRoutes } from './features/orders-copy/copy.routes.js';
import { registerReconcileRoutes } from './features/reconcile/reconcile.routes.js';
import { registerReconciliationMetrics } from './features/reconcile/reports.metrics.js';
import { registerReconcileReportRoutes } from './features/reconcile/reports.routes.js';
import { registerDashboardRoutes } from './features/dashboard/dashboard.routes.js';
import { registerLabelRoutes } from './features/labels/label.routes.js';
import { registerLocationRoutes } from './features/locations/locations.routes.js';
import { registerLotRoutes } from './features/lots/lots.routes.js';
import { registerRecordRoutes } from './features/records/records.routes.js';
import { registerShipmentRoutes } from './features/shipments/shipments.routes.js';
import { registerSheetRoutes } from './features/sheets/sheets.routes.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';
import { registerGenealogyRoutes } from './features/genealogy/genealogy.routes.js';

export const SERVICE_NAME = 'processing';

/**
 * The processing service (the MTP "Central-Handler"): lots, bags, recipes, batches, trader
 * review, allocations, labels, and the orders proxy the Device-Panel uses. No I/O happens
 * here beyond what the routes do when called.
 */
export async function buildApp(context: ServiceContext<ProcessingDb>, deps: ProcessingDeps = buildDeps(context)): Promise<HttpApp> {
  const { config, features, notifier, orders, deliverers, reconciliation, reconcilers, scheduler } = deps;
  const app = await createHttpApp({
    name: SERVICE_NAME,
    logger: context.logger,
    readiness: { database: () => context.database.ping() },
    auth: { region: context.scope.region, service: context.scope.service, lookup: keyringLookup(context.keyring) },
    requireRouteAccess: true,
  });
  registerIdempotency(app, { db: features.db });
  registerOutboxRoute(app, { db: features.db, wake: notifier.wait });
  registerLocationRoutes(app, features);
  registerLotRoutes(app, features);
  registerSheetRoutes(app, features);
  registerRecordRoutes(app, features);
  registerAllocationRoutes(app, features, orders ? ordersApi(orders) : undefined);
  registerLabelRoutes(app, features, config.plantTimeZone);
  registerShipmentRoutes(app, features, orders);
  registerDashboardRoutes(app, features);
  registerDispatchRoutes(app, features, orders, config.DISPATCH_LEASE_MS);
  registerOrdersCopyRoutes(app, features, deliverers);
  registerReconcileRoutes(app, features, orders);
  registerReconcileReportRoutes(app, reconciliation, reconcilers);
  registerReconciliationMetrics(app.metrics, features.db);
  // The scheduled reconciliation, its history and "run now": the people who may start a report by hand.
  registerJobRoutes(app, { scheduler, access: reconcileAccess(RECONCILE_RUNNERS, reconcilers) });
  registerGenealogyRoutes(app, features, orders, config.plantTimeZone);
  registerPrivacy(app, { database: context.database, env: context.env });
  if (orders) app.addHook('onClose', () => orders.close());
  return app;
}

export type { ProcessingDb };
