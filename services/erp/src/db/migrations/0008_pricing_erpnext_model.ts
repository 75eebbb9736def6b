import { sql, type RawBuilder } from 'kysely';
import type { Migration } from '@tributary/platform/migrate';
import { types } from './ddl.js';

/**
 * ERPNext's extended pricing model on the rule (ADR 0308): margin, product discount with
 * recursion, UoM, currency, other-line condition and the multiple-rules flag. Every column has
 * a default or is nullable, so existing rules keep pricing exactly as before. `add column if
 * not exists` works on PostgreSQL and MariaDB alike, so the step can rerun.
 */
export const pricingErpnextModel: Migration = {
  name: '0008_pricing_erpnext_model',
  up: async (db, context) => {
    const t = types(context);
    const columns: [string, RawBuilder<unknown>][] = [
      ['margin_type', sql`varchar(20)`],
      ['margin_rate_or_amount', sql`${t.qty} not null default 0`],
      ['price_or_product_discount', sql`varchar(10) not null default 'Price'`],
      ['free_item', sql`varchar(140)`],
      ['free_qty', sql`${t.qty} not null default 0`],
      ['is_recursive', sql`integer not null default 0`],
      ['recurse_for', sql`${t.qty} not null default 0`],
      ['apply_recursion_over', sql`${t.qty} not null default 0`],
      ['round_free_qty', sql`integer not null default 0`],
      ['uom', sql`varchar(50)`],
      ['currency', sql`varchar(3)`],
      ['apply_rule_on_other', sql`varchar(20)`],
      ['other_item_code', sql`varchar(140)`],
      ['other_item_group', sql`varchar(140)`],
      ['apply_multiple_pricing_rules', sql`integer not null default 0`],
    ];
    for (const [column, type] of columns) {
      await sql`alter table ${sql.table('tabHD Dynamic Pricing Rule')} add column if not exists ${sql.ref(column)} ${type}`.execute(db);
    }
  },
};
