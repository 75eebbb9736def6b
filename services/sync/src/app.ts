import { isDefaultPublicPath } from '@tributary/platform/auth';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { keyringLookup, type ServiceContext } from '@tributary/platform/service';
import { registerWebhookRoutes } from './features/capture/webhooks.routes.js';
import { registerConfigurationRoutes } from './features/configurations/configurations.routes.js';
import { registerConflictRoutes } from './features/conflicts/conflicts.routes.js';
import { registerEventRoutes } from './features/events/events.routes.js';
import { registerHealthRoutes } from './features/metrics/health.routes.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';
import type { SyncDatabase } from './db/schema.js';
import { buildDeps, type SyncDeps } from './deps.js';

/** Webhooks authenticate by their own HMAC; everything else needs a SigV4 signature. */
function isPublic(path: string): boolean {
  return isDefaultPublicPath(path) || path.startsWith('/webhooks/');
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
  registerWebhookRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerConflictRoutes(app, deps);
  registerConfigurationRoutes(app, deps);
  registerHealthRoutes(app, deps);
  registerPrivacy(app, deps);
  return app;
}
