import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { AppError } from '@tributary/platform/core';
import { GatewayError } from '../../errors.js';
import type { AdminRouteDeps } from '../../deps.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { validateScopes } from '../keys/scopes.js';
import { compilePattern } from '../routing/route-table.js';
import type { RouteInput, RouteRow } from '../routing/routes.repository.js';
import { resolveUpstream } from '../routing/upstreams.js';
import { assertRoutableTemplate } from '../routing/access.js';
import { adminOf, gatewayAccess } from '../../access.js';
import { adminPage } from './admin-page.js';
import { errors, Loose, Page, Paging, RouteBody, tags } from './admin.schemas.js';

function publicRoute(row: RouteRow) {
  return {
    routeId: row.route_id,
    pathPattern: row.path_pattern,
    httpMethod: row.http_method,
    serviceName: row.service_name,
    upstreamUrl: row.upstream_url,
    upstreamPath: row.upstream_path,
    upstreamAuth: row.upstream_auth,
    routeName: row.route_name,
    priority: row.priority,
    loadBalancerType: row.load_balancer_type,
    upstreamServers: row.upstream_servers,
    healthCheckUrl: row.health_check_url,
    healthCheckInterval: row.health_check_interval,
    authenticationRequired: row.authentication_required,
    authorizationRoles: row.authorization_roles,
    authorizationScopes: row.authorization_scopes,
    rateLimitOverride: row.rate_limit_override,
    corsOrigins: row.cors_origins,
    timeoutSeconds: row.timeout_seconds,
    retryAttempts: row.retry_attempts,
    circuitBreakerEnabled: row.circuit_breaker_enabled,
    failureThreshold: row.failure_threshold,
    recoveryTimeoutMs: row.recovery_timeout_ms,
    cacheEnabled: row.cache_enabled,
    cacheTtlSeconds: row.cache_ttl_seconds,
    isActive: row.is_active,
    isDeprecated: row.is_deprecated,
  };
}

/** Runs one check and names the field it judged, so a form can show the refusal beside that field. */
function atField(field: keyof RouteInput, check: () => void): void {
  try {
    check();
  } catch (thrown) {
    if (thrown instanceof AppError && thrown.status === 400) {
      throw new AppError(thrown.category, thrown.code, thrown.message, { details: { ...thrown.details, field } });
    }
    throw thrown;
  }
}

/** Refuses what would only fail at request time: bad patterns, unusable upstreams, malformed scopes. */
function validateRoute(deps: AdminRouteDeps, input: Partial<RouteInput>): void {
  const { pathPattern, upstreamPath, authorizationScopes } = input;
  if (pathPattern) atField('pathPattern', () => compilePattern(pathPattern));
  const upstreamOk = (url: string) => {
    if (!url.startsWith('peer:') && !resolveUpstream(url, deps.peers))
      throw GatewayError.INVALID_ROUTE(`Upstream "${url}" is not an http(s) URL or peer:<service>`);
  };
  if (input.upstreamUrl) atField('upstreamUrl', () => upstreamOk(input.upstreamUrl!));
  for (const server of input.upstreamServers ?? []) atField('upstreamServers', () => upstreamOk(server.url));
  if (authorizationScopes) atField('authorizationScopes', () => validateScopes(authorizationScopes));
  // What is forwarded is the upstream path template, or the client path when there is none.
  if (upstreamPath) atField('upstreamPath', () => assertRoutableTemplate(upstreamPath));
  if (pathPattern) atField('pathPattern', () => assertRoutableTemplate(pathPattern));
}

const RouteParams = Type.Object({ routeId: Type.String({ format: 'uuid' }) });
const DateOrTime = Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], {
  description: 'a day (the whole day) or an instant',
});

/** The original body names the breaker's recovery `recoveryTimeout` (milliseconds). */
function withOriginalNames<T extends { recoveryTimeout?: number; recoveryTimeoutMs?: number }>(body: T): Omit<T, 'recoveryTimeout'> {
  const { recoveryTimeout, ...rest } = body;
  return recoveryTimeout !== undefined && rest.recoveryTimeoutMs === undefined ? { ...rest, recoveryTimeoutMs: recoveryTimeout } : rest;
}

/** The original's fromDate/toDate may be plain days: toDate then includes its whole day. */
function auditWindow(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const end = to && day.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() : to;
  return { ...(from ? { from: day.test(from) ? `${from}T00:00:00Z` : from } : {}), ...(end ? { to: end } : {}) };
}

export function registerAdminRouteRoutes(app: HttpApp, deps: AdminRouteDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(tags);
  const audit = new AuditRepository(deps.db);

  app.get(
    '/api/v1/admin/routes',
    route(access.admin, 'List routes', {
      querystring: Type.Object({ ...Paging, serviceName: Type.Optional(Type.String()), isActive: Type.Optional(Type.Boolean()) }),
      response: { 200: Page(Loose), ...errors },
    }),
    async (request) => adminPage(request.query, (filters, page, limit) => deps.routesRepo.list(filters, page, limit), publicRoute),
  );

  app.post(
    '/api/v1/admin/routes',
    route(access.superAdmin, 'Create a route; every replica picks it up without a restart', {
      body: RouteBody,
      response: { 201: Loose, ...errors },
    }),
    async (request, reply) => {
      const by = adminOf(request).userId;
      const body = withOriginalNames(request.body);
      validateRoute(deps, body);
      const row = await deps.routesRepo.create(body, by);
      await deps.routeLoader.changed();
      return reply.code(201).send(publicRoute(row));
    },
  );

  const changeRoute = (summary: string) =>
    route(access.superAdmin, summary, { params: RouteParams, body: Type.Partial(RouteBody), response: { 200: Loose, ...errors } });
  const change = async (request: { params: { routeId: string }; body: Partial<Static<typeof RouteBody>> } & FastifyRequest) => {
    const by = adminOf(request).userId;
    const body = withOriginalNames(request.body);
    validateRoute(deps, body);
    const row = await deps.routesRepo.update(request.params.routeId, body, by, new Date(deps.clock.now()));
    if (!row) throw GatewayError.ROUTE_CONFIG_NOT_FOUND(`No route ${request.params.routeId}`);
    await deps.routeLoader.changed();
    return publicRoute(row);
  };
  app.patch('/api/v1/admin/routes/:routeId', changeRoute('Change a route (partial)'), change);
  // The original admin client changes routes with PUT, partially, as PATCH does.
  app.put('/api/v1/admin/routes/:routeId', changeRoute('Change a route (partial; the original verb)'), change);

  app.delete(
    '/api/v1/admin/routes/:routeId',
    route(access.superAdmin, 'Delete a route', { params: RouteParams, response: { 204: Type.Null(), ...errors } }),
    async (request, reply) => {
      if (!(await deps.routesRepo.remove(request.params.routeId)))
        throw GatewayError.ROUTE_CONFIG_NOT_FOUND(`No route ${request.params.routeId}`);
      await deps.routeLoader.changed();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/audit-logs',
    route(access.superAdmin, 'Query the audit log, newest first', {
      querystring: Type.Object({
        ...Paging,
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        userId: Type.Optional(Type.String()),
        apiKeyId: Type.Optional(Type.String()),
        serviceName: Type.Optional(Type.String()),
        statusCode: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
        decision: Type.Optional(Type.String()),
        path: Type.Optional(Type.String()),
        from: Type.Optional(Type.String({ format: 'date-time' })),
        to: Type.Optional(Type.String({ format: 'date-time' })),
        fromDate: Type.Optional(DateOrTime),
        toDate: Type.Optional(DateOrTime),
      }),
      response: { 200: Page(Loose), ...errors },
    }),
    async (request) => {
      // Every tenant's users, paths and queries are in it: the platform administrator's alone.
      // Make the caller's own recent requests visible: flush what is buffered first.
      await deps.audit.flush();
      const { fromDate, toDate, ...query } = request.query;
      return adminPage(
        { ...query, ...auditWindow(query.from ?? fromDate, query.to ?? toDate) },
        (filters, page, limit) => audit.query(filters, page, limit),
        (row) => row,
      );
    },
  );

  app.get(
    '/api/v1/admin/usage',
    route(access.admin, 'Requests of the last 24 hours by hour and service: totals, failures, rate-limited, avg/p95/p99 latency', {
      querystring: Type.Object({ serviceName: Type.Optional(Type.String({ maxLength: 100 })) }),
      response: { 200: Type.Object({ items: Type.Array(Loose) }), ...errors },
    }),
    async (request) => {
      await deps.audit.flush();
      return { items: await audit.usageSummary(request.query.serviceName) };
    },
  );

  app.get(
    '/api/v1/admin/system/health',
    route(access.admin, 'Database, Redis, breakers, targets, queues', { response: { 200: Loose, ...errors } }),
    async () => {
      const database = await deps.database.ping().then(
        () => 'up',
        () => 'down',
      );
      const redis = deps.redis
        ? await deps.redis.ping().then(
            () => 'up',
            () => 'down',
          )
        : 'not configured';
      return {
        database,
        redis,
        routes: deps.routes.size,
        breakers: deps.upstreams.breakerSnapshots(),
        targets: deps.upstreams.targetSnapshots(),
        audit: { pending: deps.audit.pending, written: deps.audit.written, dropped: deps.audit.dropped },
        cacheEntries: deps.cache.size,
        requestsLast24h: await audit.countSince(new Date(deps.clock.now() - 86_400_000)),
      };
    },
  );
}
