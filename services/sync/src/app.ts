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
import { runtimeFor } from './runtime.js';

/** Webhooks authenticate by their own HMAC; everything else needs a SigV4 signature. */
function isPublic(path: string): boolean {
  return isDefaultPublicPath(path) || path.startsWith('/webhooks/');
}

export async function buildApp(context: ServiceContext<SyncDatabase>): Promise<HttpApp> {
  const runtime = runtimeFor(context);
  const app = await createHttpApp({
    name: context.name,
    logger: context.logger,
    readiness: { database: () => context.database.ping() },
    auth: { region: context.scope.region, service: context.scope.service, lookup: keyringLookup(context.keyring), publicPaths: isPublic },
    requireRouteAccess: true,
    openapi: { description: 'Tributary sync service: event capture, delivery, conflicts, metrics' },
  });
  runtime.metrics.attachTo(app.metrics);
  registerWebhookRoutes(app, runtime);
  registerEventRoutes(app, runtime);
  registerConflictRoutes(app, runtime);
  registerConfigurationRoutes(app, runtime);
  registerHealthRoutes(app, runtime);
  registerPrivacy(app, { database: context.database, clock: context.clock, logger: context.logger, env: context.env });
  return app;
}
