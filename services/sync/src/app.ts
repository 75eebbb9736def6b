import { isDefaultPublicPath } from '@tributary/platform/auth';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { registerJobRoutes } from '@tributary/platform/scheduler';
import { keyringLookup, type ServiceContext } from '@tributary/platform/service';
import { ACCESS } from './access.js';
import { registerCallbackRoutes } from './features/capture/register.routes.js';
import { registerWebhookRoutes } from './features/capture/webhooks.routes.js';
import { registerOverviewRoutes } from './features/overview/overview.routes.js';
import { queueStats } from './features/overview/queue-stats.service.js';
import { registerRequestRoutes } from './features/requests/requests.routes.js';
import { registerConfigurationRoutes } from './features/configurations/configurations.routes.js';
import { registerConflictRoutes } from './features/conflicts/conflicts.routes.js';
import { registerEventRoutes } from './features/events/events.routes.js';
import { registerHealthRoutes } from './features/metrics/health.routes.js';
import { registerSeriesRoutes } from './features/metrics/series.routes.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';
import { ALERTS_PATH, registerAlertmanagerRoutes } from './features/notifications/alertmanager.routes.js';
import { registerNotificationRoutes } from './features/notifications/notifications.routes.js';
import type { SyncDatabase } from './db/schema.js';
import { buildDeps, type SyncDeps } from './deps.js';

/**
 * Webhooks authenticate by their own HMAC, Alertmanager by its bearer token, and `/` and
 * `/health` answer anyone as the original service did; everything else needs a SigV4
 * signature, registering a callback included.
 */
function isPublic(path: string): boolean {
  if (path === '/' || path === '/health' || path === ALERTS_PATH) return true;
  return isDefaultPublicPath(path) || (path.startsWith('/webhooks/') && path !== '/webhooks/register');
}

/** Wires the features onto a kernel app; `deps` is shared with the background when the kernel starts both. */
export async function buildApp(context: ServiceContext<SyncDatabase>, deps: SyncDeps = buildDeps(context)): Promise<HttpApp> {
  const app = await createHttpApp({
    name: context.name,
    logger: context.logger,
    readiness: { database: () => context.database.ping() },
    auth: { region: context.scope.region, service: context.scope.service, lookup: keyringLookup(context.keyring), publicPaths: isPublic },
    requireRouteAccess: true,
    openapi: { description: 'Tributary sync service: event capture, delivery, conflicts, metrics' },
  });
  deps.metrics.attachTo(app.metrics);
  // Socket.IO shares the service's port; its sockets close before the server, whose close would wait for them.
  await deps.realtime.attach(app.server);
  app.addHook('preClose', () => deps.realtime.close());
  registerOverviewRoutes(app, { db: deps.db, clock: deps.clock, version: deps.version, socketState: () => deps.realtime.state() });
  registerWebhookRoutes(app, deps);
  registerCallbackRoutes(app, deps);
  registerRequestRoutes(app, deps);
  registerEventRoutes(app, {
    db: deps.db,
    clock: deps.clock,
    wakeWorkers: () => deps.wakeWorkers(),
    syncOverview: async () => ({ queues: await queueStats(deps.db, new Date(deps.clock.now())), websocket: { ...deps.realtime.stats() } }),
  });
  registerConflictRoutes(app, deps);
  registerConfigurationRoutes(app, deps);
  registerHealthRoutes(app, deps);
  registerSeriesRoutes(app, deps);
  registerPrivacy(app, deps);
  registerNotificationRoutes(app, deps);
  registerAlertmanagerRoutes(app, deps);
  registerJobRoutes(app, { scheduler: deps.jobs, access: ACCESS.administrator });
  return app;
}
