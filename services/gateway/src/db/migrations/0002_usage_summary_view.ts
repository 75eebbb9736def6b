import { sql } from '@tributary/platform/db';
import type { Migration } from '@tributary/platform/migrate';

/** The reference's view_api_usage_summary: the last 24 hours by hour and service. */
export const usageSummaryViewMigration: Migration = {
  name: '0002_usage_summary_view',
  async up(db) {
    await sql
      .raw(
        `create view view_api_usage_summary as
         select date_trunc('hour', request_timestamp) as hour,
                coalesce(service_name, 'unrouted') as service_name,
                count(*) as total_requests,
                count(*) filter (where status_code between 200 and 299) as successful_requests,
                count(*) filter (where status_code >= 400) as failed_requests,
                count(*) filter (where rate_limited) as rate_limited_requests,
                round(avg(response_time_ms)::numeric, 2) as avg_response_time_ms,
                percentile_cont(0.95) within group (order by response_time_ms) as p95_response_time_ms,
                percentile_cont(0.99) within group (order by response_time_ms) as p99_response_time_ms
         from api_audit_logs
         where request_timestamp >= now() - interval '24 hours'
         group by 1, 2`,
      )
      .execute(db);
  },
};
