import { Type } from '@sinclair/typebox';
import { createHttpApp, type HttpApp, type HttpAppOptions } from '@tributary/platform/http';
import type { ServiceContext } from '@tributary/platform/service';
import { registerEdgeHooks } from './edge/hooks.js';
import { proxyRequest } from './edge/pipeline.js';
import { attachTls, type TlsListener } from './edge/tls.js';
import { registerAdminKeyRoutes } from './features/admin/admin-keys.routes.js';
import { registerAdminRouteRoutes } from './features/admin/admin-routes.routes.js';
import { registerAdminUserRoutes } from './features/admin/admin-users.routes.js';
import { registerApiDocs } from './features/docs/docs.routes.js';
import { registerAuthRoutes } from './features/auth/auth.routes.js';
import { registerConsole } from './features/console/console.routes.js';
import { registerSessionRoutes } from './features/console/session.routes.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';
import { readConfig } from './config.js';
import { createRuntime, type GatewayOptions, type GatewayRuntime } from './runtime.js';

export interface Gateway {
  app: HttpApp;
  runtime: GatewayRuntime;
  tls: TlsListener | undefined;
}

export async function buildGateway(context: ServiceContext, options: GatewayOptions = {}): Promise<Gateway> {
  const config = readConfig(context.env);
  const runtime = await createRuntime(context, options);
  // The edge hooks that audit are registered after the app exists; refusals before routing reach them here.
  const refusals: { audit?: NonNullable<HttpAppOptions['onRefusedBeforeRouting']> } = {};
  const app = await createHttpApp({
    name: 'gateway',
    onRefusedBeforeRouting: (error, request, reply) => refusals.audit?.(error, request, reply),
    logger: context.logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    readiness: {
      database: () => context.database.ping(),
      ...(runtime.redis ? { redis: async () => void (await runtime.redis!.ping()) } : {}),
    },
  });
  await runtime.start();
  app.addHook('onClose', async () => runtime.stop());
  refusals.audit = registerEdgeHooks(app, runtime);
  registerAuthRoutes(app, runtime);
  registerAdminUserRoutes(app, runtime);
  registerAdminKeyRoutes(app, runtime);
  registerAdminRouteRoutes(app, runtime);
  registerPrivacy(app, runtime);
  registerApiDocs(app, runtime);
  registerSessionRoutes(app, runtime);
  await registerConsole(app, runtime);
  const tls = attachTls(app, config, context.env.HOST ?? '0.0.0.0');

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/*',
    schema: {
      tags: ['proxy'],
      summary: 'Every other path is matched against service_routes and forwarded to its upstream',
      response: { default: Type.Unknown() },
    },
    handler: (request, reply) => proxyRequest(runtime, request, reply),
  });
  return { app, runtime, tls };
}

export async function buildApp(context: ServiceContext): Promise<HttpApp> {
  return (await buildGateway(context)).app;
}
