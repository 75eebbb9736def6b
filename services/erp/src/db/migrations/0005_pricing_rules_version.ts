import type { Migration } from '@tributary/platform/migrate';

/**
 * One counter bumped in the same transaction as every pricing-rule change. Each replica keeps
 * the active rules in memory and reloads them when the counter it reads differs from the one it
 * loaded at, so a change made through any replica is seen by the next calculation everywhere.
 */
export const pricingRulesVersion: Migration = {
  name: '0005_pricing_rules_version',
  up: async (db) => {
    await db.schema
      .createTable('hd_pricing_rules_version')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
    const existing = await db.selectFrom('hd_pricing_rules_version').select('id').where('id', '=', 1).executeTakeFirst();
    if (!existing) await db.insertInto('hd_pricing_rules_version').values({ id: 1, version: 0 }).execute();
  },
};
