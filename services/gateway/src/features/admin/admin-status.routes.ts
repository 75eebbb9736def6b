import { Type } from '@sinclair/typebox';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import type { AdminStatusDeps } from '../../deps.js';
import type { RateLimitTier } from '../../db/schema.js';
import { TIER_LIMITS } from '../limits/tiers.js';
import { TierUsageRepository } from '../limits/tiers.repository.js';
import { resolveUpstream, type Target } from '../routing/upstreams.js';
import { errors, tags } from './admin.schemas.js';
import { gatewayAccess } from '../../access.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const RouteHealth = Type.Object({
  routeId: Type.String(),
  routeName: Type.String(),
  serviceName: Type.String(),
  breaker: Type.Union([
    Type.Object({
      state: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')]),
      consecutiveFailures: Type.Integer(),
      retryAfterMs: Type.Union([Type.Integer(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  targets: Type.Array(
    Type.Object({
      url: Type.String(),
      health: Type.Union([
        Type.Literal('healthy'),
        Type.Literal('unhealthy'),
        Type.Literal('ejected'),
        Type.Literal('unchecked'),
        Type.Literal('unresolved'),
      ]),
      ejectedUntil: Nullable(Type.String()),
      consecutiveFailures: Type.Integer(),
    }),
  ),
});

type TargetHealth = 'healthy' | 'unhealthy' | 'ejected' | 'unchecked' | 'unresolved';

/** Passive ejection outranks the last active check: an ejected target takes no traffic either way. */
function healthOf(url: string | undefined, target: Target | undefined, ejected: boolean): TargetHealth {
  if (!url) return 'unresolved';
  if (ejected) return 'ejected';
  if (target?.activeHealthy === undefined) return 'unchecked';
  return target.activeHealthy ? 'healthy' : 'unhealthy';
}

const Limits = Type.Object({ minute: Type.Integer(), hour: Type.Integer(), day: Type.Integer() });

/**
 * What the console's route and tier pages read: this replica's view of each live route's
 * breaker and targets (the system health answer lists them without saying which route uses
 * which), and the tier table with who is on each tier. Read-only.
 */
export function registerAdminStatusRoutes(app: HttpApp, deps: AdminStatusDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(tags);
  const tiers = new TierUsageRepository(deps.db);

  app.get(
    '/api/v1/admin/routes/health',
    route(access.admin, "Each live route's breaker state and the health of its targets, as this replica sees them", {
      response: { 200: Type.Object({ items: Type.Array(RouteHealth) }), ...errors },
    }),
    async () => {
      const now = deps.clock.now();
      const known = new Map(deps.upstreams.allTargets().map((target) => [target.url, target]));
      const items = deps.routes.routes().map((config) => {
        const breaker = deps.upstreams.breakerSnapshotOf(config);
        return {
          routeId: config.routeId,
          routeName: config.routeName,
          serviceName: config.serviceName,
          breaker: breaker
            ? { state: breaker.state, consecutiveFailures: breaker.consecutiveFailures, retryAfterMs: breaker.retryAfterMs ?? null }
            : null,
          targets: config.servers.map((server) => {
            const url = resolveUpstream(server.url, deps.peers);
            // A target is known once the route has forwarded or been checked; until then nothing is known of it.
            const target = url ? known.get(url) : undefined;
            const ejected = target?.ejected(now) ?? false;
            return {
              url: url ?? server.url,
              health: healthOf(url, target, ejected),
              ejectedUntil: target && ejected ? new Date(target.ejectedUntil).toISOString() : null,
              consecutiveFailures: target?.consecutiveFailures ?? 0,
            };
          }),
        };
      });
      return { items };
    },
  );

  app.get(
    '/api/v1/admin/rate-limit-tiers',
    route(
      access.admin,
      'The rate-limit tiers (requests per minute, hour and day; 0 = no limit) and how many users and active keys are on each',
      {
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ tier: Type.String(), limits: Limits, users: Type.Integer(), apiKeys: Type.Integer() })),
          }),
          ...errors,
        },
      },
    ),
    async () => {
      const counts = await tiers.counts();
      const items = (Object.keys(TIER_LIMITS) as RateLimitTier[]).map((tier) => ({
        tier,
        limits: TIER_LIMITS[tier],
        users: counts.users[tier] ?? 0,
        apiKeys: counts.apiKeys[tier] ?? 0,
      }));
      return { items };
    },
  );
}
