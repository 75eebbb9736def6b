import type { Kysely } from 'kysely';
import type { GatewayDatabase, RateLimitTier } from '../../db/schema.js';

export type TierCounts = Partial<Record<RateLimitTier, number>>;

/** How many users and active API keys sit on each tier: what a tier change would reach. */
export class TierUsageRepository {
  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  async counts(): Promise<{ users: TierCounts; apiKeys: TierCounts }> {
    const [users, keys] = await Promise.all([
      this.db
        .selectFrom('api_users')
        .select(['rate_limit_tier as tier', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('rate_limit_tier')
        .execute(),
      this.db
        .selectFrom('api_keys')
        .where('is_active', '=', true)
        .select(['rate_limit_tier as tier', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('rate_limit_tier')
        .execute(),
    ]);
    const tally = (rows: Array<{ tier: RateLimitTier; n: string }>): TierCounts =>
      Object.fromEntries(rows.map((row) => [row.tier, Number(row.n)]));
    return { users: tally(users), apiKeys: tally(keys) };
  }
}
