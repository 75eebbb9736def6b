import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { comparePrecedence, type PricingRule } from './rule-model.js';
import { hydrate } from './rules.repository.js';

/**
 * The active pricing rules of this replica, reloaded whenever the database's rules version
 * differs from the one they were loaded at (one primary-key read per calculation). Everything
 * else — validity, windows, scopes, bounds — is decided per order by the evaluator, so the cache
 * holds every active rule. A coupon's used count changes without a version bump (it is a hot
 * counter), so calculations read the used counts of the coupons they were given fresh.
 */
export class RuleCache {
  private version: string | undefined;
  private rules: PricingRule[] = [];

  async get(db: Kysely<ErpDatabase>, coupons: readonly string[]): Promise<readonly PricingRule[]> {
    const row = await db.selectFrom('hd_pricing_rules_version').select('version').where('id', '=', 1).executeTakeFirst();
    const current = String(row?.version ?? '0');
    let rules = this.rules;
    if (current !== this.version) {
      // Each stale request loads through its own connection or transaction: sharing one load
      // between requests could wait on a connection another request holds (PGlite has one).
      const rows = await db.selectFrom('tabHD Dynamic Pricing Rule').selectAll().where('is_active', '=', 1).orderBy('name').execute();
      // In precedence order: each quote filters them, and a filtered list that is already in
      // order sorts in one pass instead of a full sort per quote.
      rules = (await hydrate(db, rows)).sort(comparePrecedence);
      this.rules = rules;
      this.version = current;
    }
    if (coupons.length === 0) return rules;
    const used = await db
      .selectFrom('tabHD Dynamic Pricing Rule')
      .select(['name', 'used_count'])
      .where('coupon_code', 'in', [...coupons])
      .execute();
    const fresh = new Map(used.map((r) => [r.name, Number(r.used_count)]));
    return rules.map((rule) => (fresh.has(rule.name) ? { ...rule, used_count: fresh.get(rule.name)! } : rule));
  }
}
