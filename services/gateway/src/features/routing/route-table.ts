import type { Selectable } from 'kysely';
import type { ServiceRoutesTable } from '../../db/schema.js';
import { GatewayError } from '../../errors.js';

export interface RouteConfig {
  routeId: string;
  pathPattern: string;
  method: string;
  serviceName: string;
  upstreamUrl: string;
  upstreamPath: string | null;
  upstreamAuth: 'sigv4' | 'none';
  routeName: string;
  priority: number;
  loadBalancer: 'round_robin' | 'weighted' | 'least_connections';
  servers: Array<{ url: string; weight: number }>;
  healthCheckUrl: string | null;
  healthCheckIntervalMs: number;
  authRequired: boolean;
  roles: string[] | null;
  scopes: string[] | null;
  limitOverride: { minute?: number; hour?: number; day?: number } | null;
  corsOrigins: string[] | null;
  timeoutMs: number;
  retryAttempts: number;
  breakerEnabled: boolean;
  failureThreshold: number;
  recoveryTimeoutMs: number;
  cacheEnabled: boolean;
  cacheTtlSeconds: number;
  deprecated: boolean;
}

export function toRouteConfig(row: Selectable<ServiceRoutesTable>): RouteConfig {
  const servers = (row.upstream_servers ?? []).map((server) => ({ url: server.url, weight: Math.max(1, Math.floor(server.weight ?? 1)) }));
  return {
    routeId: row.route_id,
    pathPattern: row.path_pattern,
    method: row.http_method,
    serviceName: row.service_name,
    upstreamUrl: row.upstream_url,
    upstreamPath: row.upstream_path,
    upstreamAuth: row.upstream_auth,
    routeName: row.route_name,
    priority: row.priority,
    loadBalancer: row.load_balancer_type as RouteConfig['loadBalancer'],
    servers: servers.length > 0 ? servers : [{ url: row.upstream_url, weight: 1 }],
    healthCheckUrl: row.health_check_url,
    healthCheckIntervalMs: row.health_check_interval * 1000,
    authRequired: row.authentication_required,
    roles: row.authorization_roles && row.authorization_roles.length > 0 ? row.authorization_roles : null,
    scopes: row.authorization_scopes && row.authorization_scopes.length > 0 ? row.authorization_scopes : null,
    limitOverride: row.rate_limit_override,
    corsOrigins: row.cors_origins,
    timeoutMs: row.timeout_seconds * 1000,
    retryAttempts: row.retry_attempts,
    breakerEnabled: row.circuit_breaker_enabled,
    failureThreshold: row.failure_threshold,
    recoveryTimeoutMs: row.recovery_timeout_ms,
    cacheEnabled: row.cache_enabled,
    cacheTtlSeconds: row.cache_ttl_seconds ?? 300,
    deprecated: row.is_deprecated,
  };
}

interface CompiledRoute {
  route: RouteConfig;
  regex: RegExp;
  params: string[];
  wildcard: boolean;
  specificity: number;
}

export interface RouteMatch {
  route: RouteConfig;
  params: Record<string, string>;
  /** What the trailing `*` matched, without a leading slash ('' when nothing). */
  rest: string;
}

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const LITERAL = /^[A-Za-z0-9._~!$&'()+,;=:@%-]+$/;

/** `/api/v1/items/{id}` and `/central/*`: `{name}` is one segment, a trailing `*` is the rest. */
export function compilePattern(pattern: string): { regex: RegExp; params: string[]; wildcard: boolean; specificity: number } {
  if (!pattern.startsWith('/')) throw GatewayError.INVALID_ROUTE(`Path pattern "${pattern}" must start with /`);
  const segments = pattern.split('/').slice(1);
  const params: string[] = [];
  let source = '^';
  let specificity = 0;
  let wildcard = false;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '*' && last) {
      wildcard = true;
      source += '(?:/(.*))?';
      return;
    }
    const param = PARAM.exec(segment);
    if (param) {
      params.push(param[1]!);
      source += '/([^/]+)';
      specificity += 1;
      return;
    }
    if (segment === '' && last && index === 0) {
      source += '/';
      return;
    }
    if (!LITERAL.test(segment)) throw GatewayError.INVALID_ROUTE(`Path pattern "${pattern}" has an invalid segment "${segment}"`);
    source += `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    specificity += 10 + segment.length;
  });
  return { regex: new RegExp(`${source}$`), params, wildcard, specificity };
}

export function rewritePath(template: string | null, match: RouteMatch, original: string): string {
  if (template === null) return original;
  let path = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => match.params[name] ?? '');
  if (path.endsWith('/*')) path = match.rest === '' ? path.slice(0, -2) || '/' : `${path.slice(0, -1)}${match.rest}`;
  return path;
}

export class RouteTable {
  private compiled: CompiledRoute[] = [];

  get size(): number {
    return this.compiled.length;
  }

  routes(): RouteConfig[] {
    return this.compiled.map((entry) => entry.route);
  }

  replace(routes: RouteConfig[]): void {
    const compiled = routes.map((route) => ({ route, ...compilePattern(route.pathPattern) }));
    // Explicit priority first, then the most specific pattern, then exact methods before ANY.
    compiled.sort(
      (a, b) =>
        b.route.priority - a.route.priority ||
        b.specificity - a.specificity ||
        Number(a.wildcard) - Number(b.wildcard) ||
        Number(a.route.method === 'ANY') - Number(b.route.method === 'ANY'),
    );
    this.compiled = compiled;
  }

  match(method: string, path: string): RouteMatch | undefined {
    const wanted = method === 'HEAD' ? ['HEAD', 'GET'] : [method];
    for (const entry of this.compiled) {
      if (entry.route.method !== 'ANY' && !wanted.includes(entry.route.method)) continue;
      const found = entry.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      entry.params.forEach((name, index) => (params[name] = found[index + 1]!));
      return { route: entry.route, params, rest: entry.wildcard ? (found[entry.params.length + 1] ?? '') : '' };
    }
    return undefined;
  }

  /** Any route on this path, whatever the method: for CORS preflight and 405-vs-404. */
  matchAnyMethod(path: string): RouteConfig[] {
    return this.compiled.filter((entry) => entry.regex.test(path)).map((entry) => entry.route);
  }
}
