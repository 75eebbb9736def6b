import { MTP_GROUPS } from '@tributary/contracts';
import { GatewayError } from '../../errors.js';
import { MTP_ACCESS } from './access.js';
import { harshaRoutes } from './harsha-routes.js';
import type { RouteInput, RoutesRepository } from './routes.repository.js';

export { SUPER_ROLE } from './access.js';

/**
 * Coarse gates of the versioned catch-alls. For orders and processing the fine rule is the
 * access model (access.ts), applied to every path form on the path the request reaches.
 */
const SERVICE_ROLES: Record<string, string[]> = {
  orders: [...MTP_GROUPS],
  processing: [...MTP_GROUPS],
  erp: ['manager', 'analyst', 'integration'],
  sync: ['integration'],
};

function base(service: string): Pick<RouteInput, 'serviceName' | 'upstreamUrl' | 'upstreamAuth' | 'healthCheckUrl' | 'timeoutSeconds'> {
  return {
    serviceName: service,
    upstreamUrl: `peer:${service}`,
    upstreamAuth: 'sigv4',
    healthCheckUrl: '/health/live',
    timeoutSeconds: 30,
  };
}

/**
 * The paths a client of the original calls for a rule: AWS-Manager's `/central/X` for processing's
 * `/app/X`. Processing's own additions (reconciliation reports, jobs) had no original path; they
 * are reached under `/api/v1/processing/` only, so they seed no route of their own.
 */
function legacyPaths(service: string, path: string): Array<{ pattern: string; upstream: string }> {
  if (service !== 'processing') return [{ pattern: path, upstream: path }];
  if (!path.startsWith('/app/')) return [];
  return [
    { pattern: path, upstream: path },
    { pattern: path.replace(/^\/app/, '/central'), upstream: path },
  ];
}

/**
 * Seeded routes: `/api/v1/<service>/*` for every Tributary service, plus the original MTP
 * paths, one row per rule of the access model (so listing the routes shows who may call what).
 */
export function defaultRoutes(): RouteInput[] {
  const routes: RouteInput[] = [];
  for (const [service, roles] of Object.entries(SERVICE_ROLES)) {
    routes.push({
      ...base(service),
      pathPattern: `/api/v1/${service}/*`,
      httpMethod: 'ANY',
      upstreamPath: '/*',
      routeName: `${service} (versioned)`,
      authorizationRoles: roles,
      priority: 0,
    });
  }
  for (const rule of MTP_ACCESS) {
    for (const { pattern, upstream } of legacyPaths(rule.service, rule.path)) {
      routes.push({
        ...base(rule.service),
        httpMethod: rule.method,
        authorizationRoles: [...rule.roles],
        priority: 10,
        pathPattern: pattern,
        upstreamPath: upstream,
        routeName: `MTP ${rule.method} ${pattern}`,
      });
    }
  }
  routes.push(...harshaRoutes());
  return routes;
}

/** Adds the default routes that are missing (same path and method); returns how many. */
/** A gateway with no routes at all is a fresh install: it gets the defaults, all at once. */
export function installDefaultRoutesIfEmpty(routes: RoutesRepository): Promise<number> {
  return routes.installIfEmpty(defaultRoutes(), 'gateway');
}

export async function installDefaultRoutes(routes: RoutesRepository): Promise<number> {
  let created = 0;
  for (const route of defaultRoutes()) {
    if (await routes.exists(route.pathPattern, route.httpMethod)) continue;
    try {
      await routes.create(route, 'gateway');
      created++;
    } catch (error) {
      // Replicas starting together on a new database install the same routes; the one that
      // loses the race finds the route there, which is what it wanted.
      if (!GatewayError.ROUTE_ALREADY_EXISTS.is(error)) throw error;
    }
  }
  return created;
}
