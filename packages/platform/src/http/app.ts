import { createServer as createHttpServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { registerSigV4Auth, type SigV4AuthOptions } from '../auth/fastify-hook.js';
import type { Logger } from '../core/logger.js';
import { registerAccessEnforcement, registerRouteAccess } from './access.js';
import { registerBodyParsers } from './body-parsers.js';
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_HEADERS_TIMEOUT_MS, registerBodyTimeout } from './body-timeout.js';
import { clientErrorHandler } from './client-errors.js';
import { httpEdgeDefaults, type HttpEdgeSettings } from './edge-settings.js';
import { correlationServerOptions, registerCorrelation } from './correlation.js';
import { registerDrainingHook } from './draining.js';
import { registerErrorHandling, sendError } from './error-handler.js';
import { DEFAULT_READINESS_TIMEOUT_MS, registerHealthRoutes, type ReadinessChecks } from './health.js';
import { registerInFlightTracking } from './in-flight.js';
import { registerInputGuard } from './input-guard.js';
import { createHttpMetrics, isMetricsBearerRequest, registerMetrics } from './metrics.js';
import { registerOpenApi, type OpenApiOptions } from './openapi.js';
import { RequestLogController } from './request-log.js';
import type { HttpApp } from './types.js';
import { LazyValidators } from './lazy-validators.js';
import { cachingSerializerFactory } from './serialization.js';
import { validatorCompiler } from './validation.js';

export interface HttpAppOptions extends HttpEdgeSettings {
  /** Service name: the OpenAPI title, and how logs and dashboards tell services apart. */
  name: string;
  version?: string;
  logger: Logger;
  /** Named dependency checks for /health/ready, e.g. `{ database: () => db.ping() }`. */
  readiness?: ReadinessChecks;
  /** Per check; default 2000 ms. */
  readinessTimeoutMs?: number;
  /** Largest accepted body in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** Require SigV4 signatures on every route but the public ones (probes, docs); /metrics takes a signature or the metrics token. */
  auth?: SigV4AuthOptions;
  openapi?: OpenApiOptions;
  /** Trust X-Forwarded-* (request.ip, request.protocol) from the proxy in front. */
  trustProxy?: boolean;
  /**
   * Called once the answer to a request refused before routing (a URL that cannot be decoded)
   * has been sent: no hook runs for those, so an app that must account for every request (the
   * gateway's audit log) hears of them here.
   */
  onRefusedBeforeRouting?: (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) => void;
  /**
   * Every route must declare who may call it (`config: { access }`): `ready()` throws while one
   * does not. Every service sets it; the kernel's own tests build bare apps without it.
   */
  requireRouteAccess?: boolean;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Longest path parameter the router matches. Fastify's default (100) answered 414 before a
 * route's own schema could say how long its parameter may be (processing's trace codes go to
 * 300); past this bound the router still refuses, with REQUEST_PARAM_TOO_LONG.
 */
export const MAX_PARAM_LENGTH = 1000;
/** Long enough for the other services of an `up` process to have loaded (lazy-validators.ts). */
const VALIDATOR_WARM_DELAY_MS = 15_000;

/**
 * Builds a service's HTTP app with the platform's conventions wired in: request ids, trace
 * context, raw bodies, one error shape, health, metrics, OpenAPI and (optionally) SigV4 auth.
 * Declare routes on the result; call startHttpServer to listen.
 *
 * Async because the OpenAPI plugin must have loaded before the first route is declared.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const edge: HttpEdgeSettings = { ...httpEdgeDefaults(), ...definedEdgeSettings(options) };
  const headersTimeoutMs = edge.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const bodyTimeoutMs = edge.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const fastify = Fastify({
    loggerInstance: withService(options.logger, options.name),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Fastify gives up on a plugin after 10 s by default. Loading a service compiles every
    // route's schemas; on a busy machine (five services starting in one `up` process on two
    // cores) that took longer and the platform refused to start. A plugin that truly hangs
    // still shows: readiness never turns green and the supervisor's start timeout acts.
    pluginTimeout: 0,
    schemaController: { compilersFactory: { buildSerializer: cachingSerializerFactory() } },
    logController: new RequestLogController(),
    serverFactory: (handler) => createServer(handler, edge, headersTimeoutMs, bodyTimeoutMs),
    clientErrorHandler: clientErrorHandler(headersTimeoutMs),
    ...correlationServerOptions(),
    // Bad URLs and the like are refused before routing; they still get our error shape.
    frameworkErrors: (error, request, reply) => {
      const listener = options.onRefusedBeforeRouting;
      if (listener) reply.raw.once('finish', () => listener(error, request, reply));
      sendError(error, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const validators = new LazyValidators();
  fastify.setValidatorCompiler(validatorCompiler(validators));
  // Validators compile on first use; a while after the server listens, the rest compile between requests.
  fastify.addHook('onListen', async () => {
    validators.warmLater(VALIDATOR_WARM_DELAY_MS, (error) => fastify.log.error({ err: error }, 'a route schema does not compile'));
  });
  fastify.addHook('onClose', async () => validators.stop());

  const metrics = createHttpMetrics(options.name);
  fastify.decorate('metrics', metrics.registry);
  // decorate() does not widen the instance's type; HttpApp states what it just added.
  const app = fastify as unknown as HttpApp;

  // Before any route: it records every route, the kernel's included.
  registerRouteAccess(app, { required: options.requireRouteAccess ?? false });
  // Order matters: correlation first so every later refusal (auth's 401 included) carries the ids.
  registerCorrelation(app);
  // Before any route is declared: it wraps each handler as the route is added.
  registerInFlightTracking(app);
  registerInputGuard(app);
  registerBodyParsers(app);
  registerErrorHandling(app);
  registerMetrics(app, metrics, { token: edge.metricsToken, signed: options.auth !== undefined });
  registerDrainingHook(app);
  if (options.auth) registerSigV4Auth(app, { otherCredential: isMetricsBearerRequest, ...options.auth });
  // After the signature hook: a route's rule reads the identity it set.
  registerAccessEnforcement(app);
  registerBodyTimeout(app, bodyTimeoutMs);

  await registerOpenApi(app, { title: options.name, version: options.version ?? '0.0.0' }, options.openapi, {
    signed: options.auth !== undefined,
    ...(options.auth?.publicPaths ? { isPublic: options.auth.publicPaths } : {}),
  });
  registerHealthRoutes(app, options.readiness ?? {}, options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS);
  return app;
}

/** Every line names the service; a logger from createLogger({ name }) already does, and pino would repeat the key. */
function withService(logger: Logger, name: string): Logger {
  return 'service' in logger.bindings() ? logger : logger.child({ service: name });
}

function definedEdgeSettings(options: HttpAppOptions): HttpEdgeSettings {
  const { metricsToken, bodyTimeoutMs, headersTimeoutMs, tls } = options;
  return Object.fromEntries(
    Object.entries({ metricsToken, bodyTimeoutMs, headersTimeoutMs, tls }).filter(([, value]) => value !== undefined),
  );
}

/**
 * The Node server under the app. Built here rather than by Fastify so TLS is a setting, not a
 * different app type: with `tls` it is an https server accepting TLS 1.3 only (ADR 0009).
 * Node's own head and whole-request timeouts are set as backstops for the body timer.
 */
function createServer(handler: RequestListener, edge: HttpEdgeSettings, headersTimeoutMs: number, bodyTimeoutMs: number): Server {
  const timeouts: ServerOptions = {
    headersTimeout: headersTimeoutMs,
    requestTimeout: headersTimeoutMs + bodyTimeoutMs + 1000,
    // How often Node checks the two above; its default (30 s) would make them meaningless.
    connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
  };
  const server = edge.tls
    ? // An https.Server is an http.Server in every way Fastify uses (request events, close, address).
      (createHttpsServer({ ...timeouts, cert: edge.tls.cert, key: edge.tls.key, minVersion: 'TLSv1.3' }, handler) as unknown as Server)
    : createHttpServer(timeouts, handler);
  // Fastify applies its keep-alive default only to servers it builds itself. Node's 5 s would
  // have clients' pooled sockets closed under them between calls.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}

/** Fastify's own default, longer than the idle timeouts of the clients and proxies in front. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;
