import { asTables } from '@tributary/platform/db';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { registerIdempotency } from '@tributary/platform/idempotency';
import { OutboxNotifier, registerOutboxRoute } from '@tributary/platform/outbox';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import { keyringLookup, type ServiceContext } from '@tributary/platform/service';
import { readConfig } from './config.js';
import type { ProcessingDb } from './db/schema.js';
import { registerAllocationRoutes } from './features/allocations/allocations.routes.js';
import { registerDispatchRoutes } from './features/dispatch/dispatch.routes.js';
import { registerOrdersCopyRoutes } from './features/orders-copy/copy.routes.js';
import { registerReconcileRoutes } from './features/reconcile/reconcile.routes.js';
import { registerDashboardRoutes } from './features/dashboard/dashboard.routes.js';
import type { FeatureDeps } from './features/deps.js';
import { registerLabelRoutes } from './features/labels/label.routes.js';
import { registerLocationRoutes } from './features/locations/locations.routes.js';
import { registerLotRoutes } from './features/lots/lots.routes.js';
import { registerRecordRoutes } from './features/records/records.routes.js';
import { registerShipmentRoutes } from './features/shipments/shipments.routes.js';
import { registerSheetRoutes } from './features/sheets/sheets.routes.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';

export const SERVICE_NAME = 'processing';

/**
 * The processing service (the MTP "Central-Handler"): lots, bags, recipes, batches, trader
 * review, allocations, labels, and the orders proxy the Device-Panel uses. No I/O happens
 * here beyond what the routes do when called.
 */
export async function buildApp(context: ServiceContext): Promise<HttpApp> {
  const config = readConfig(context.env);
  const database = context.database;
  const notifier = new OutboxNotifier();
  const app = await createHttpApp({
    name: SERVICE_NAME,
    logger: context.logger,
    readiness: { database: () => database.ping() },
    auth: { region: context.scope.region, service: context.scope.service, lookup: keyringLookup(context.keyring) },
  });
  const deps: FeatureDeps = {
    db: asTables<ProcessingDb>(database.db),
    clock: context.clock,
    logger: context.logger,
    eventsCommitted: () => notifier.notify(),
  };
  const ordersUrl = context.peers.orders;
  const orders: ServiceClient | undefined = ordersUrl
    ? createServiceClient({
        name: 'orders',
        baseUrl: ordersUrl,
        credentials: context.credentials,
        scope: context.scope,
        timeoutMs: config.ORDERS_TIMEOUT_MS,
        breaker: {
          consecutiveFailures: config.ORDERS_BREAKER_FAILURES,
          halfOpenAfterMs: config.ORDERS_BREAKER_OPEN_MS,
          onStateChange: (change) => context.logger.warn({ upstream: change.name, from: change.from, to: change.to, reason: change.reason }, 'circuit to orders changed state'),
        },
      })
    : undefined;

  registerIdempotency(app, { db: database.db });
  registerOutboxRoute(app, { db: database.db, wake: notifier.wait });
  registerLocationRoutes(app, deps);
  registerLotRoutes(app, deps);
  registerSheetRoutes(app, deps);
  registerRecordRoutes(app, deps);
  registerAllocationRoutes(app, deps);
  registerLabelRoutes(app, deps, config.LABEL_TIME_ZONE);
  registerShipmentRoutes(app, deps, orders);
  registerDashboardRoutes(app, deps);
  registerDispatchRoutes(app, deps, orders, config.DISPATCH_LEASE_MS);
  registerOrdersCopyRoutes(app, deps, names(config.PROCESSING_EVENT_DELIVERERS));
  registerReconcileRoutes(app, deps, orders);
  registerPrivacy(app, context);
  if (orders) app.addHook('onClose', () => orders.close());
  return app;
}

const names = (list: string): ReadonlySet<string> => new Set(list.split(',').map((name) => name.trim()).filter(Boolean));

export type { ProcessingDb };
