import type { Consumer } from '../../edge/consumer.js';
import { GatewayError } from '../../errors.js';
import { compilePattern, type RouteConfig } from './route-table.js';

/** Passes every role check (it still needs a credential, and API keys still need scopes). */
export const SUPER_ROLE = 'administrator';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface AccessRule {
  service: 'orders' | 'processing';
  method: Method;
  /** Path on the service that owns the data (processing's `/app/...`, never `/central/...`). */
  path: string;
  roles: readonly string[];
}

const ADMINS = ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'];
const TRADERS = ['TRADER-OFFICER', 'TRADER-SUPERVISOR'];
const RECONCILE_READERS = [...ADMINS, 'SEEDUWA-OFFICER', 'GRANDPASS-OFFICER'];

/**
 * The MTP role table (reference §7.6, with the per-role flows of §6 where §7.6 names the API
 * but not the exact call) on the path of the service that finally serves the request. A
 * subtree with rules of its own (`/app/trader/*`) replaces its parent's rules entirely, and a
 * method without a rule is refused: nothing is allowed unless a line here allows it.
 */
export const MTP_ACCESS: readonly AccessRule[] = [
  // Admin level may read /admin/*; user level is denied it (the original IAM DENY). Only
  // MASTER-ADMIN creates and deletes users; groups are read-only.
  { service: 'orders', method: 'GET', path: '/admin/user', roles: ADMINS },
  { service: 'orders', method: 'POST', path: '/admin/user', roles: ['MASTER-ADMIN'] },
  { service: 'orders', method: 'DELETE', path: '/admin/user', roles: ['MASTER-ADMIN'] },
  { service: 'orders', method: 'GET', path: '/admin/group', roles: ADMINS },
  { service: 'orders', method: 'GET', path: '/order/plan', roles: ['GRANDPASS-ADMIN', 'GRANDPASS-OFFICER'] },
  { service: 'orders', method: 'POST', path: '/order/plan', roles: ['GRANDPASS-ADMIN'] },
  { service: 'orders', method: 'DELETE', path: '/order/plan', roles: ['GRANDPASS-ADMIN'] },
  {
    service: 'orders',
    method: 'GET',
    path: '/order',
    roles: ['SEEDUWA-ADMIN', 'GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS'],
  },
  { service: 'orders', method: 'POST', path: '/order', roles: ['GRANDPASS-OFFICER'] },
  // The officer who creates schedules reads them back (§7.6 "order history"; orders allows it too).
  { service: 'orders', method: 'GET', path: '/order/schedule', roles: ['GRANDPASS-OFFICER', 'GRANDPASS-DEV-MACHINE'] },
  { service: 'orders', method: 'POST', path: '/order/schedule', roles: ['GRANDPASS-OFFICER'] },
  { service: 'orders', method: 'PUT', path: '/order/schedule', roles: ['GRANDPASS-DEV-MACHINE'] },
  { service: 'orders', method: 'PUT', path: '/order/shipment', roles: ['SEEDUWA-OFFICER'] },
  {
    service: 'orders',
    method: 'POST',
    path: '/order/shipment/event',
    roles: ['GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS'],
  },
  {
    service: 'orders',
    method: 'GET',
    path: '/order/record/shipment',
    roles: ['SEEDUWA-ADMIN', 'GRANDPASS-GATEPASS', 'GRANDPASS-DEV-MACHINE'],
  },
  // The barcode handler's allocation of scanned bags: the Seeduwa officer's PUT (§7.6 Y/Y/Y/N).
  { service: 'orders', method: 'PUT', path: '/order/record/shipment', roles: ['SEEDUWA-OFFICER'] },
  // §6.7: the box-filling machine reads what it allocated.
  { service: 'orders', method: 'GET', path: '/order/record/parcel', roles: ['GRANDPASS-DEV-MACHINE'] },
  { service: 'orders', method: 'POST', path: '/order/record/parcel', roles: ['GRANDPASS-DEV-MACHINE'] },
  { service: 'orders', method: 'GET', path: '/trader', roles: ['SEEDUWA-OFFICER', ...TRADERS] },
  { service: 'orders', method: 'PUT', path: '/trader', roles: TRADERS },
  { service: 'orders', method: 'POST', path: '/trader', roles: ['SEEDUWA-OFFICER'] },
  // The Central-Handler (/central/X on AWS-Manager is /app/X here): SEEDUWA-ADMIN reads the
  // history; the Seeduwa officer runs the floor (Y/Y/Y/N: never DELETE).
  { service: 'processing', method: 'GET', path: '/app/*', roles: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'] },
  { service: 'processing', method: 'POST', path: '/app/*', roles: ['SEEDUWA-OFFICER'] },
  { service: 'processing', method: 'PUT', path: '/app/*', roles: ['SEEDUWA-OFFICER'] },
  // Trader review behind /trader: only the traders decide.
  { service: 'processing', method: 'GET', path: '/app/trader/*', roles: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER', ...TRADERS] },
  { service: 'processing', method: 'PUT', path: '/app/trader/*', roles: TRADERS },
  // Traceability and recall (ADR 0203): officers, supervisors and admins of both sites read it.
  {
    service: 'processing',
    method: 'GET',
    path: '/app/trace/*',
    roles: [...ADMINS, 'GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER'],
  },
  // Stored MTP reconciliation reports and the scheduled jobs (ADR 0601, ADR 0031): the same
  // readers and runners processing declares at its routes, so the gateway refuses no one processing
  // would serve, and lets no one through whom it would refuse. No original path: only
  // /api/v1/processing/... reaches them.
  { service: 'processing', method: 'GET', path: '/reconcile/reports', roles: RECONCILE_READERS },
  { service: 'processing', method: 'POST', path: '/reconcile/reports', roles: ADMINS },
  { service: 'processing', method: 'GET', path: '/reconcile/reports/*', roles: RECONCILE_READERS },
  { service: 'processing', method: 'GET', path: '/jobs', roles: ADMINS },
  { service: 'processing', method: 'GET', path: '/jobs/*', roles: ADMINS },
  { service: 'processing', method: 'POST', path: '/jobs/*', roles: ADMINS },
];

/**
 * Upstream paths that are for services, operators and scrapers, never for clients: event feeds
 * and reconciliation (`/internal/*`), metrics and health. The proxy refuses them whatever the
 * route table says, and the admin API refuses routes that point at them.
 */
const INTERNAL_SEGMENTS = new Set(['internal', 'metrics', 'health']);

/** Decodes until stable, so `%2569nternal` cannot slip past as text the upstream decodes later. */
function fullyDecoded(path: string): string {
  let current = path;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

export function isInternalPath(path: string): boolean {
  const first =
    fullyDecoded(path)
      .split('/')
      .find((segment) => segment !== '') ?? '';
  // Matrix parameters and dots are not part of any route name (`internal;x`, `metrics.`).
  return INTERNAL_SEGMENTS.has(first.split(/[;.]/, 1)[0]!.trim().toLowerCase());
}

/**
 * Refuses a route whose upstream path template starts in an internal area (`/internal/*`,
 * `/metrics`). A template starting with a parameter or `*` is checked per request instead.
 */
export function assertRoutableTemplate(template: string): void {
  const first = template.split('/').find((segment) => segment !== '') ?? '';
  if (first.includes('{') || first.includes('*')) return;
  if (isInternalPath(`/${first}`)) throw GatewayError.ROUTE_INTERNAL(`Routes may not point at internal upstream paths (${template})`);
}

function decodedOnce(path: string): string | undefined {
  try {
    const decoded = decodeURIComponent(path);
    // Still encoded after the one decoding the upstream does: no MTP path looks like that.
    return decoded.includes('%') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/**
 * Where a request finally lands, as the upstream will read the path: orders serves
 * `/central/X` by calling processing's `/app/X`. Undefined when the path cannot be read.
 */
export function canonicalTarget(service: string, path: string): { service: string; path: string } | undefined {
  const decoded = decodedOnce(path);
  if (decoded === undefined) return undefined;
  if (service === 'orders' && (decoded === '/central' || decoded.startsWith('/central/')))
    return { service: 'processing', path: `/app${decoded.slice('/central'.length)}` };
  return { service, path: decoded };
}

interface CompiledRule extends AccessRule {
  regex: RegExp;
  specificity: number;
  wildcard: boolean;
}

const COMPILED: CompiledRule[] = MTP_ACCESS.map((rule) => ({ ...rule, ...compilePattern(rule.path) }));
export const GOVERNED_SERVICES: ReadonlySet<string> = new Set(MTP_ACCESS.map((rule) => rule.service));

/** The rules of the most specific pattern that matches the path (all its methods). */
function rulesFor(service: string, path: string): CompiledRule[] {
  const matching = COMPILED.filter((rule) => rule.service === service && rule.regex.test(path));
  if (matching.length === 0) return [];
  const best = matching.reduce((a, b) =>
    b.specificity > a.specificity || (b.specificity === a.specificity && a.wildcard && !b.wildcard) ? b : a,
  );
  return matching.filter((rule) => rule.path === best.path);
}

/** The roles allowed to call `method` on the service's path; empty when no rule allows anyone. */
export function allowedRoles(service: string, method: string, path: string): readonly string[] {
  const wanted = method === 'HEAD' ? 'GET' : method;
  return rulesFor(service, path).find((rule) => rule.method === wanted)?.roles ?? [];
}

/**
 * The Tributary service a route reaches (`peer:<service>` targets), whatever the route is
 * called: an operator's route to `peer:orders` is under the orders rules like the seeded ones.
 */
export function upstreamService(route: RouteConfig): string {
  const peer = [route.upstreamUrl, ...route.servers.map((server) => server.url)].find((url) => url.startsWith('peer:'));
  return peer ? peer.slice('peer:'.length) : route.serviceName;
}

/**
 * The gate every proxied request passes, whatever path form it came in by: internal paths
 * are never forwarded; for the MTP services the role table above decides on the path the
 * request will reach. The route's own roles are checked separately (both must allow).
 */
export function authorizeTarget(service: string, method: string, upstreamPath: string, consumer: Consumer): void {
  if (isInternalPath(upstreamPath)) throw GatewayError.UPSTREAM_PATH_INTERNAL('This path is not served through the gateway');
  if (consumer.roles.includes(SUPER_ROLE) || !GOVERNED_SERVICES.has(service)) return;
  const target = canonicalTarget(service, upstreamPath);
  const roles = target ? allowedRoles(target.service, method, target.path) : [];
  if (!consumer.roles.some((role) => roles.includes(role))) {
    throw GatewayError.ROLE_ACCESS_DENIED('Your role may not call this route', {
      details: { service: target?.service ?? service, method },
    });
  }
}
