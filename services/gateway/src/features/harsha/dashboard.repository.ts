import type { Kysely } from 'kysely';
import type { GatewayDatabase } from '../../db/schema.js';

export interface Counts {
  total: number;
  active: number;
}

/** The counts the original admin dashboard shows, each one aggregate query. */
export class DashboardRepository {
  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  private async counts(table: 'api_users' | 'api_keys' | 'service_routes'): Promise<Counts> {
    const row = await this.db
      .selectFrom(table)
      .select((eb) => [eb.fn.countAll<string>().as('total'), eb.fn.count<string>('id').filterWhere('is_active', '=', true).as('active')])
      .executeTakeFirstOrThrow();
    return { total: Number(row.total), active: Number(row.active) };
  }

  async summary(since: Date): Promise<{ users: Counts; apiKeys: Counts; routes: Counts; requestsToday: number; errorsToday: number }> {
    const [users, apiKeys, routes, requests] = await Promise.all([
      this.counts('api_users'),
      this.counts('api_keys'),
      this.counts('service_routes'),
      this.db
        .selectFrom('api_audit_logs')
        .select((eb) => [
          eb.fn.countAll<string>().as('total'),
          eb.fn.count<string>('id').filterWhere('status_code', '>=', 400).as('failed'),
        ])
        .where('request_timestamp', '>=', since)
        .executeTakeFirstOrThrow(),
    ]);
    return { users, apiKeys, routes, requestsToday: Number(requests.total), errorsToday: Number(requests.failed) };
  }
}
