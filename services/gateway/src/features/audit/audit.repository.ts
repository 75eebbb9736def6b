import { sql, type Kysely } from 'kysely';
import type { GatewayDatabase } from '../../db/schema.js';

export interface AuditFilters {
  userId?: string;
  apiKeyId?: string;
  serviceName?: string;
  statusCode?: number;
  decision?: string;
  path?: string;
  from?: string;
  to?: string;
}

export class AuditRepository {
  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  async query(filters: AuditFilters, page: number, limit: number) {
    let query = this.db.selectFrom('api_audit_logs');
    if (filters.userId) query = query.where('user_id', '=', filters.userId);
    if (filters.apiKeyId) query = query.where('api_key_id', '=', filters.apiKeyId);
    if (filters.serviceName) query = query.where('service_name', '=', filters.serviceName);
    if (filters.statusCode !== undefined) query = query.where('status_code', '=', filters.statusCode);
    if (filters.decision) query = query.where('decision', '=', filters.decision);
    if (filters.path) query = query.where('path', '=', filters.path);
    if (filters.from) query = query.where('request_timestamp', '>=', new Date(filters.from));
    if (filters.to) query = query.where('request_timestamp', '<', new Date(filters.to));
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('request_timestamp', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset((page - 1) * limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      total: Number(count.n),
      items: rows.map((row) => ({
        requestId: row.request_id,
        method: row.http_method,
        path: row.path,
        userId: row.user_id,
        apiKeyId: row.api_key_id,
        authenticationMethod: row.authentication_method,
        clientIp: row.client_ip,
        routeId: row.matched_route_id,
        serviceName: row.service_name,
        upstreamUrl: row.upstream_url,
        statusCode: row.status_code,
        responseTimeMs: row.response_time_ms,
        errorCode: row.error_code,
        decision: row.decision,
        rateLimited: row.rate_limited,
        cacheStatus: row.cache_status,
        requestTimestamp: new Date(row.request_timestamp).toISOString(),
      })),
    };
  }

  /** The last 24 hours by hour and service (view_api_usage_summary; "last 24 h" is the database's clock). */
  async usageSummary(serviceName?: string) {
    const rows = await sql<{
      hour: Date;
      service_name: string;
      total_requests: string;
      successful_requests: string;
      failed_requests: string;
      rate_limited_requests: string;
      avg_response_time_ms: string;
      p95_response_time_ms: number;
      p99_response_time_ms: number;
    }>`select * from view_api_usage_summary where ${serviceName ?? null}::text is null or service_name = ${serviceName ?? null} order by hour desc, service_name`.execute(
      this.db,
    );
    return rows.rows.map((row) => ({
      hour: new Date(row.hour).toISOString(),
      serviceName: row.service_name,
      totalRequests: Number(row.total_requests),
      successfulRequests: Number(row.successful_requests),
      failedRequests: Number(row.failed_requests),
      rateLimitedRequests: Number(row.rate_limited_requests),
      avgResponseTimeMs: Number(row.avg_response_time_ms),
      p95ResponseTimeMs: Number(row.p95_response_time_ms),
      p99ResponseTimeMs: Number(row.p99_response_time_ms),
    }));
  }

  async countSince(since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('api_audit_logs')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('request_timestamp', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
