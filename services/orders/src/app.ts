import { registerIdempotency } from '@tributary/platform/idempotency';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { registerOutboxRoute } from '@tributary/platform/outbox';
import { keyringLookup, type ServiceContext } from '@tributary/platform/service';
import { readOrdersConfig } from './config.js';
import type { OrdersDatabase } from './db/schema.js';
import { buildDeps } from './deps.js';
import { registerAdminRoutes } from './features/admin/admin.routes.js';
import { registerInternalEventRoutes } from './features/allocations/allocations.routes.js';
import { registerOrderRoutes } from './features/orders/orders.routes.js';
import { registerPlanRoutes } from './features/plans/plans.routes.js';
import { registerScheduleRoutes } from './features/schedules/schedules.routes.js';
import { registerShipmentRoutes } from './features/shipments/shipments.routes.js';
import { registerBulkLimit } from './bulk-limit.js';
import { createOrdersMetrics } from './metrics.js';
import { registerCentralRoutes } from './features/central/central.routes.js';
import { registerCentralProxyRoute } from './features/central/central-proxy.routes.js';
import { registerReconcileRoutes } from './features/reconcile/reconcile.routes.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';
import { registerTraceRoutes } from './features/trace/trace.routes.js';
import { registerPipelineRoutes } from './features/pipeline/pipeline.routes.js';

/** Wires the orders service's features onto a kernel HTTP app, each with its slice of the deps; no I/O happens until it listens. */
export async function buildApp(context: ServiceContext<OrdersDatabase>): Promise<HttpApp> {
  const config = readOrdersConfig(context.env);

  const app = await createHttpApp({
    name: context.name,
    logger: context.logger,
    readiness: { database: () => context.database.ping() },
    auth: { region: context.scope.region, service: context.scope.service, lookup: keyringLookup(context.keyring) },
    requireRouteAccess: true,
    openapi: {
      description:
        'MTP order manager: production plans, order requests, shipments and their status workflow, production schedules, user groups.',
      tags: [
        { name: 'plans', description: 'Production plans (Excel upload)' },
        { name: 'orders', description: 'Order requests' },
        { name: 'shipments', description: 'Shipment quantities and status events' },
        { name: 'schedules', description: 'Production (box-filling) schedules' },
        { name: 'admin', description: 'Users and MTP groups' },
        { name: 'processing', description: 'Trader review and bag allocations, passed through to the processing service' },
      ],
    },
  });
  const { deps, notifier } = buildDeps(context, config, createOrdersMetrics(app.metrics));
  const { db } = deps;
  // Hooks run in registration order: refuse oversized bulks before an idempotency key is claimed.
  registerBulkLimit(app, config.maxBulkItems);
  registerIdempotency(app, { db, now: () => context.clock.now() });
  registerOutboxRoute(app, { db, wake: notifier.wait });
  registerPlanRoutes(app, deps);
  registerOrderRoutes(app, deps);
  registerShipmentRoutes(app, deps);
  registerScheduleRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerInternalEventRoutes(app, deps);
  registerCentralRoutes(app, deps);
  registerCentralProxyRoute(app, deps);
  registerReconcileRoutes(app, deps);
  registerTraceRoutes(app, deps);
  registerPipelineRoutes(app, deps);
  registerPrivacy(app, { database: context.database, env: context.env });
  app.addHook('onClose', async () => deps.processing?.close());
  return app;
}
