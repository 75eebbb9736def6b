import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import { dbErrorKind } from '@tributary/platform/db';
import type { GatewayDatabase, ServiceRoutesTable } from '../../db/schema.js';
import { GatewayError } from '../../errors.js';

export type RouteRow = Selectable<ServiceRoutesTable>;

export interface RouteInput {
  pathPattern: string;
  httpMethod: string;
  serviceName: string;
  upstreamUrl: string;
  upstreamPath?: string | null;
  upstreamAuth?: 'sigv4' | 'none';
  routeName: string;
  routeDescription?: string | null;
  priority?: number;
  loadBalancerType?: 'round_robin' | 'weighted' | 'least_connections';
  upstreamServers?: Array<{ url: string; weight?: number }>;
  healthCheckUrl?: string | null;
  healthCheckInterval?: number;
  authenticationRequired?: boolean;
  authorizationRoles?: string[] | null;
  authorizationScopes?: string[] | null;
  rateLimitOverride?: { minute?: number; hour?: number; day?: number } | null;
  corsOrigins?: string[] | null;
  timeoutSeconds?: number;
  retryAttempts?: number;
  circuitBreakerEnabled?: boolean;
  failureThreshold?: number;
  recoveryTimeoutMs?: number;
  cacheEnabled?: boolean;
  cacheTtlSeconds?: number | null;
  isActive?: boolean;
  isDeprecated?: boolean;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

function columns(input: Partial<RouteInput>) {
  const set: Record<string, unknown> = {};
  const map: Array<[keyof RouteInput, string, (v: unknown) => unknown]> = [
    ['pathPattern', 'path_pattern', (v) => v],
    ['httpMethod', 'http_method', (v) => String(v).toUpperCase()],
    ['serviceName', 'service_name', (v) => v],
    ['upstreamUrl', 'upstream_url', (v) => v],
    ['upstreamPath', 'upstream_path', (v) => v],
    ['upstreamAuth', 'upstream_auth', (v) => v],
    ['routeName', 'route_name', (v) => v],
    ['routeDescription', 'route_description', (v) => v],
    ['priority', 'priority', (v) => v],
    ['loadBalancerType', 'load_balancer_type', (v) => v],
    ['upstreamServers', 'upstream_servers', (v) => JSON.stringify(v ?? [])],
    ['healthCheckUrl', 'health_check_url', (v) => v],
    ['healthCheckInterval', 'health_check_interval', (v) => v],
    ['authenticationRequired', 'authentication_required', (v) => v],
    ['authorizationRoles', 'authorization_roles', json],
    ['authorizationScopes', 'authorization_scopes', json],
    ['rateLimitOverride', 'rate_limit_override', json],
    ['corsOrigins', 'cors_origins', json],
    ['timeoutSeconds', 'timeout_seconds', (v) => v],
    ['retryAttempts', 'retry_attempts', (v) => v],
    ['circuitBreakerEnabled', 'circuit_breaker_enabled', (v) => v],
    ['failureThreshold', 'failure_threshold', (v) => v],
    ['recoveryTimeoutMs', 'recovery_timeout_ms', (v) => v],
    ['cacheEnabled', 'cache_enabled', (v) => v],
    ['cacheTtlSeconds', 'cache_ttl_seconds', (v) => v],
    ['isActive', 'is_active', (v) => v],
    ['isDeprecated', 'is_deprecated', (v) => v],
  ];
  for (const [key, column, convert] of map) if (input[key] !== undefined) set[column] = convert(input[key]);
  return set;
}

function translate(error: unknown): never {
  const kind = dbErrorKind(error);
  if (kind === 'unique') throw GatewayError.ROUTE_ALREADY_EXISTS('An active route with this path pattern and method already exists');
  throw error;
}

export class RoutesRepository {
  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  active(): Promise<RouteRow[]> {
    return this.db.selectFrom('service_routes').selectAll().where('is_active', '=', true).execute();
  }

  list(filters: { serviceName?: string; isActive?: boolean }, page: number, limit: number) {
    let query = this.db.selectFrom('service_routes');
    if (filters.serviceName) query = query.where('service_name', '=', filters.serviceName);
    if (filters.isActive !== undefined) query = query.where('is_active', '=', filters.isActive);
    return Promise.all([
      query
        .selectAll()
        .orderBy('priority', 'desc')
        .orderBy('path_pattern')
        .orderBy('http_method')
        .limit(limit)
        .offset((page - 1) * limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]).then(([items, count]) => ({ items, total: Number(count.n) }));
  }

  async create(input: RouteInput, by: string, db: Kysely<GatewayDatabase> = this.db): Promise<RouteRow> {
    try {
      return await db
        .insertInto('service_routes')
        .values({
          route_id: randomUUID(),
          created_by: by,
          ...(columns(input) as Omit<Insertable<ServiceRoutesTable>, 'route_id' | 'created_by'>),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      translate(error);
    }
  }

  async update(routeId: string, input: Partial<RouteInput>, by: string, now: Date): Promise<RouteRow | undefined> {
    try {
      return await this.db
        .updateTable('service_routes')
        .set({ ...(columns(input) as Updateable<ServiceRoutesTable>), updated_by: by, updated_at: now })
        .where('route_id', '=', routeId)
        .returningAll()
        .executeTakeFirst();
    } catch (error) {
      translate(error);
    }
  }

  async remove(routeId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('service_routes').where('route_id', '=', routeId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /**
   * A fresh install's routes, all or none: under a transaction-scoped lock, and only into an
   * empty table. Replicas starting together on a new database then either install the whole
   * set or find it whole; none loads half of another's. Returns how many were installed.
   */
  installIfEmpty(routes: readonly RouteInput[], by: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('gateway.service_routes.install'))`.execute(trx);
      const any = await trx.selectFrom('service_routes').select('id').limit(1).executeTakeFirst();
      if (any) return 0;
      for (const route of routes) await this.create(route, by, trx);
      return routes.length;
    });
  }

  async exists(pathPattern: string, method: string, db: Kysely<GatewayDatabase> = this.db): Promise<boolean> {
    const row = await db
      .selectFrom('service_routes')
      .select('id')
      .where('path_pattern', '=', pathPattern)
      .where('http_method', '=', method)
      .where('is_active', '=', true)
      .executeTakeFirst();
    return row !== undefined;
  }
}
