import { MTP_GROUPS } from '@tributary/contracts';
import type { RouteInput, RoutesRepository } from './routes.repository.js';

/** Passes every route's role check (it still needs a credential, and API keys still need scopes). */
export const SUPER_ROLE = 'administrator';

const ADMINS = ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'];

interface MatrixEntry {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'ANY';
  /** Path as the original clients call it. */
  path: string;
  service: 'orders' | 'processing';
  /** Path on the service; defaults to `path`. */
  upstream?: string;
  roles: string[];
}

/**
 * The MTP permission matrix (Cognito groups × API paths × methods) as route rules. The
 * original IAM policy denies /admin/* to non-admin groups; the rest follows the per-role table.
 */
export const MTP_MATRIX: MatrixEntry[] = [
  { method: 'GET', path: '/admin/*', service: 'orders', roles: ADMINS },
  { method: 'POST', path: '/admin/*', service: 'orders', roles: ['MASTER-ADMIN'] },
  { method: 'DELETE', path: '/admin/*', service: 'orders', roles: ['MASTER-ADMIN'] },
  { method: 'GET', path: '/order/plan', service: 'orders', roles: ['GRANDPASS-ADMIN', 'GRANDPASS-OFFICER'] },
  { method: 'POST', path: '/order/plan', service: 'orders', roles: ['GRANDPASS-ADMIN'] },
  { method: 'DELETE', path: '/order/plan', service: 'orders', roles: ['GRANDPASS-ADMIN'] },
  { method: 'GET', path: '/order', service: 'orders', roles: ['GRANDPASS-ADMIN', 'SEEDUWA-ADMIN', 'GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS'] },
  { method: 'POST', path: '/order', service: 'orders', roles: ['GRANDPASS-OFFICER'] },
  { method: 'GET', path: '/order/schedule', service: 'orders', roles: ['GRANDPASS-OFFICER', 'GRANDPASS-DEV-MACHINE'] },
  { method: 'POST', path: '/order/schedule', service: 'orders', roles: ['GRANDPASS-OFFICER'] },
  { method: 'PUT', path: '/order/schedule', service: 'orders', roles: ['GRANDPASS-DEV-MACHINE'] },
  { method: 'PUT', path: '/order/shipment', service: 'orders', roles: ['SEEDUWA-OFFICER'] },
  { method: 'POST', path: '/order/shipment/event', service: 'orders', roles: ['GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS'] },
  { method: 'GET', path: '/order/record/shipment', service: 'orders', roles: ['SEEDUWA-ADMIN', 'GRANDPASS-GATEPASS', 'GRANDPASS-DEV-MACHINE'] },
  { method: 'PUT', path: '/order/record/shipment', service: 'orders', roles: ['SEEDUWA-OFFICER'] },
  { method: 'GET', path: '/order/record/parcel', service: 'orders', roles: ['GRANDPASS-DEV-MACHINE'] },
  { method: 'POST', path: '/order/record/parcel', service: 'orders', roles: ['GRANDPASS-DEV-MACHINE'] },
  { method: 'GET', path: '/trader', service: 'orders', roles: ['SEEDUWA-OFFICER', 'TRADER-OFFICER', 'TRADER-SUPERVISOR'] },
  { method: 'PUT', path: '/trader', service: 'orders', roles: ['TRADER-OFFICER', 'TRADER-SUPERVISOR'] },
  { method: 'POST', path: '/trader', service: 'orders', roles: ['SEEDUWA-OFFICER'] },
  // AWS-Manager's generic proxy: /central/X is the Central-Handler's /app/X.
  { method: 'GET', path: '/central/*', service: 'processing', upstream: '/app/*', roles: ['MASTER-ADMIN', 'SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'] },
  { method: 'POST', path: '/central/*', service: 'processing', upstream: '/app/*', roles: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'] },
  { method: 'PUT', path: '/central/*', service: 'processing', upstream: '/app/*', roles: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'] },
  // The Central-Handler's own paths, used by the Seeduwa panels.
  { method: 'ANY', path: '/app/trader/*', service: 'processing', roles: ['TRADER-OFFICER', 'TRADER-SUPERVISOR', 'SEEDUWA-ADMIN'] },
  { method: 'ANY', path: '/app/admin/*', service: 'processing', roles: ['SEEDUWA-ADMIN', 'MASTER-ADMIN'] },
  { method: 'ANY', path: '/app/*', service: 'processing', roles: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'] },
];

const SERVICE_ROLES: Record<string, string[]> = {
  orders: [...MTP_GROUPS],
  processing: [...MTP_GROUPS],
  erp: ['manager', 'analyst', 'integration'],
  sync: ['integration'],
};

function base(service: string): Pick<RouteInput, 'serviceName' | 'upstreamUrl' | 'upstreamAuth' | 'healthCheckUrl' | 'timeoutSeconds'> {
  return { serviceName: service, upstreamUrl: `peer:${service}`, upstreamAuth: 'sigv4', healthCheckUrl: '/health/live', timeoutSeconds: 30 };
}

/** Seeded routes: /api/v1/<service>/* for every Tributary service, plus the original MTP paths. */
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
  for (const entry of MTP_MATRIX) {
    const upstream = entry.upstream ?? entry.path;
    const prefix = `/api/v1/${entry.service}`;
    const common = { ...base(entry.service), httpMethod: entry.method, authorizationRoles: entry.roles, priority: 10 };
    routes.push({ ...common, pathPattern: entry.path, upstreamPath: upstream, routeName: `MTP ${entry.method} ${entry.path}` });
    // The same rule on the versioned path, so the matrix cannot be sidestepped through /api/v1.
    if (!entry.upstream) {
      routes.push({ ...common, pathPattern: `${prefix}${entry.path}`, upstreamPath: upstream, routeName: `MTP ${entry.method} ${prefix}${entry.path}` });
    }
  }
  return routes;
}

/** Adds the default routes that are missing (same path and method); returns how many. */
export async function installDefaultRoutes(routes: RoutesRepository): Promise<number> {
  let created = 0;
  for (const route of defaultRoutes()) {
    if (await routes.exists(route.pathPattern, route.httpMethod)) continue;
    await routes.create(route, 'gateway');
    created++;
  }
  return created;
}
