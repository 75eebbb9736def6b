import { Type } from '@sinclair/typebox';
import { createHttpApp, publicAccess, type HttpApp, type HttpAppOptions } from '@tributary/platform/http';
import type { ServiceContext } from '@tributary/platform/service';
import { PROXY_ROUTE, registerEdgeHooks } from './edge/hooks.js';
import { proxyRequest } from './edge/pipeline.js';
import { attachTls, type TlsListener } from './edge/tls.js';
import { registerAdminMonitorRoutes } from './features/admin/admin-monitor.routes.js';
import { registerAdminKeyRoutes } from './features/admin/admin-keys.routes.js';
import { registerAdminRouteRoutes } from './features/admin/admin-routes.routes.js';
import { registerAdminStatusRoutes } from './features/admin/admin-status.routes.js';
import { registerAdminUserRoutes } from './features/admin/admin-users.routes.js';
import { registerApiDocs } from './features/docs/docs.routes.js';
import { registerAuthRoutes } from './features/auth/auth.routes.js';
import { registerHarshaAdminRoutes } from './features/harsha/harsha-admin.routes.js';
import { registerHarshaAuthRoutes } from './features/harsha/harsha-auth.routes.js';
import { registerHarshaHealthRoutes } from './features/harsha/harsha-health.routes.js';
import { registerHarshaProxyRoutes } from './features/harsha/harsha-proxy.routes.js';
import { registerHarshaEnvelope } from './features/harsha/envelope.js';
import { registerTwoFactorRoutes } from './features/two-factor/two-factor.routes.js';
import { registerConsole } from './features/console/console.routes.js';
import { registerSessionRoutes } from './features/console/session.routes.js';
import { registerPipelineRoutes } from './features/pipeline/pipeline.routes.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';
import { registerRealtime } from './features/realtime/realtime.routes.js';
import { readConfig } from './config.js';
import type { GatewayDatabase } from './db/schema.js';
import { buildDeps, type GatewayDeps, type GatewayOptions } from './deps.js';

export interface Gateway {
  app: HttpApp;
  /** The replica's parts, for tests that drive reloads, flushes and health checks by hand. */
  deps: GatewayDeps;
  tls: TlsListener | undefined;
}

/** Builds the deps once and hands each feature its part; the replica's timers live and die with the app. */
export async function buildGateway(context: ServiceContext<GatewayDatabase>, options: GatewayOptions = {}): Promise<Gateway> {
  const config = readConfig(context.env);
  const { deps, lifecycle } = await buildDeps(context, options);
  // The edge hooks that audit are registered after the app exists; refusals before routing reach them here.
  const refusals: { audit?: NonNullable<HttpAppOptions['onRefusedBeforeRouting']> } = {};
  const app = await createHttpApp({
    name: 'gateway',
    onRefusedBeforeRouting: (error, request, reply) => refusals.audit?.(error, request, reply),
    logger: context.logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requireRouteAccess: true,
    readiness: {
      database: () => context.database.ping(),
      ...(deps.redis ? { redis: async () => void (await deps.redis!.ping()) } : {}),
    },
  });
  await lifecycle.start();
  app.addHook('onClose', async () => lifecycle.stop());
  refusals.audit = registerEdgeHooks(app, deps);
  registerHarshaEnvelope(app);
  registerAuthRoutes(app, deps);
  registerHarshaAuthRoutes(app, deps);
  registerTwoFactorRoutes(app, deps);
  registerAdminUserRoutes(app, deps);
  registerAdminKeyRoutes(app, deps);
  registerAdminRouteRoutes(app, deps);
  registerAdminStatusRoutes(app, deps);
  registerAdminMonitorRoutes(app, deps);
  registerHarshaAdminRoutes(app, deps);
  registerHarshaHealthRoutes(app, deps);
  registerHarshaProxyRoutes(app, deps);
  const upgrades = registerRealtime(app, deps);
  app.server.on('upgrade', upgrades);
  registerPrivacy(app, deps);
  registerApiDocs(app, deps);
  registerSessionRoutes(app, deps);
  registerPipelineRoutes(app, deps);
  await registerConsole(app, deps);
  const tls = attachTls(app, config, context.env.HOST ?? '0.0.0.0', upgrades);

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: PROXY_ROUTE,
    // Not decided here: each service_routes row carries its roles, enforced by the edge pipeline.
    config: { access: publicAccess('proxied: the matched service route decides, with the roles it carries') },
    schema: {
      tags: ['proxy'],
      summary: 'Every other path is matched against service_routes and forwarded to its upstream',
      response: { default: Type.Unknown() },
    },
    handler: (request, reply) => proxyRequest(deps, request, reply),
  });
  return { app, deps, tls };
}

export async function buildApp(context: ServiceContext<GatewayDatabase>): Promise<HttpApp> {
  return (await buildGateway(context)).app;
}
