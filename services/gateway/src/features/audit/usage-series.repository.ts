import { sql, type Kysely } from 'kysely';
import type { GatewayDatabase } from '../../db/schema.js';

export interface UsageCountRow {
  bucket: Date;
  route: string;
  statusClass: string;
  requests: number;
}

/**
 * Requests of the audit log counted per time bucket, route and status class (2xx, 4xx, …). The
 * route is the matched route's name; requests that matched none are counted under their
 * service, or as "no route" when refused before routing.
 */
export async function countRequestsByBucket(
  db: Kysely<GatewayDatabase>,
  window: { from: Date; to: Date; bucketSeconds: number },
): Promise<UsageCountRow[]> {
  const bucket = sql<Date>`to_timestamp(floor(extract(epoch from a.request_timestamp) / ${window.bucketSeconds}) * ${window.bucketSeconds})`;
  const rows = await db
    .selectFrom('api_audit_logs as a')
    .leftJoin('service_routes as r', 'r.route_id', 'a.matched_route_id')
    .select([
      bucket.as('bucket'),
      sql<string>`coalesce(r.route_name, a.service_name, 'no route')`.as('route'),
      sql<string>`(a.status_code / 100)::text || 'xx'`.as('status_class'),
      (eb) => eb.fn.countAll<string>().as('requests'),
    ])
    .where('a.request_timestamp', '>=', window.from)
    .where('a.request_timestamp', '<', window.to)
    .groupBy([sql`1`, sql`2`, sql`3`])
    .execute();
  return rows.map((row) => ({
    bucket: new Date(row.bucket),
    route: row.route,
    statusClass: row.status_class,
    requests: Number(row.requests),
  }));
}
