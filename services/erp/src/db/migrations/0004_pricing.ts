import type { Migration } from '@tributary/platform/migrate';
import { createIndex, types, withChildColumns, withStandardColumns } from './ddl.js';

export const pricingTables: Migration = {
  name: '0004_pricing',
  up: async (db, context) => {
    const t = types(context);
    await withStandardColumns(db.schema.createTable('tabHD Dynamic Pricing Rule').ifNotExists(), t)
      .addColumn('rule_code', 'varchar(30)', (c) => c.notNull().unique())
      .addColumn('rule_name', 'varchar(150)', (c) => c.notNull())
      .addColumn('rule_description', t.text)
      .addColumn('rule_type', 'varchar(30)', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('valid_from', t.datetime, (c) => c.notNull())
      .addColumn('valid_to', t.datetime)
      .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('rule_status', 'varchar(20)', (c) => c.notNull().defaultTo('Active'))
      .addColumn('apply_on', 'varchar(30)', (c) => c.notNull())
      .addColumn('apply_on_value', 'varchar(140)')
      .addColumn('applicable_for', 'varchar(30)', (c) => c.notNull())
      .addColumn('applicable_for_value', 'varchar(140)')
      .addColumn('min_qty', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('max_qty', t.qty)
      .addColumn('min_amount', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('max_amount', t.qty)
      .addColumn('for_price_list', 'varchar(140)')
      .addColumn('warehouse', 'varchar(140)')
      .addColumn('day_of_week', 'varchar(200)')
      .addColumn('time_from', t.time)
      .addColumn('time_to', t.time)
      .addColumn('seasonal_applicable', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('season_start', 'varchar(5)')
      .addColumn('season_end', 'varchar(5)')
      .addColumn('festival_applicable', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('festival_name', 'varchar(140)')
      .addColumn('festival_from', 'date')
      .addColumn('festival_to', 'date')
      .addColumn('rate_or_discount', 'varchar(20)', (c) => c.notNull().defaultTo('Discount Percentage'))
      .addColumn('rate', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('discount_percentage', t.pct, (c) => c.notNull().defaultTo(0))
      .addColumn('discount_amount', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('tier_mode', 'varchar(20)')
      .addColumn('stacking', 'varchar(20)', (c) => c.notNull().defaultTo('Additive'))
      .addColumn('max_discount_amount', t.qty)
      .addColumn('round_to_nearest', t.qty)
      .addColumn('requires_coupon', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('coupon_code', 'varchar(140)', (c) => c.unique())
      .addColumn('usage_limit', 'integer')
      .addColumn('used_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await createIndex(db, 'hd_rule_active_idx', 'tabHD Dynamic Pricing Rule', ['is_active', 'rule_status', 'priority']);
    await createIndex(db, 'hd_rule_apply_on_idx', 'tabHD Dynamic Pricing Rule', ['apply_on', 'apply_on_value']);
    await createIndex(db, 'hd_rule_for_idx', 'tabHD Dynamic Pricing Rule', ['applicable_for', 'applicable_for_value']);

    await withChildColumns(
      withStandardColumns(db.schema.createTable('tabHD Pricing Rule Item').ifNotExists(), t),
      'items',
      'HD Dynamic Pricing Rule',
    )
      .addColumn('item_code', 'varchar(140)', (c) => c.notNull())
      .addColumn('item_name', 'varchar(200)')
      .addColumn('item_group', 'varchar(140)')
      .addColumn('brand', 'varchar(140)')
      .addColumn('uom', 'varchar(50)')
      .addForeignKeyConstraint('hd_rule_item_parent_fk', ['parent'], 'tabHD Dynamic Pricing Rule', ['name'], (c) => c.onDelete('cascade'))
      .execute();
    await createIndex(db, 'hd_rule_item_parent_idx', 'tabHD Pricing Rule Item', ['parent']);
    await createIndex(db, 'hd_rule_item_code_idx', 'tabHD Pricing Rule Item', ['item_code']);

    await withChildColumns(
      withStandardColumns(db.schema.createTable('tabHD Volume Discount Slab').ifNotExists(), t),
      'volume_slabs',
      'HD Dynamic Pricing Rule',
    )
      .addColumn('slab_name', 'varchar(140)', (c) => c.notNull())
      .addColumn('min_quantity', t.qty, (c) => c.notNull())
      .addColumn('max_quantity', t.qty)
      .addColumn('discount_type', 'varchar(20)', (c) => c.notNull().defaultTo('Percentage'))
      .addColumn('discount_percentage', t.pct, (c) => c.notNull().defaultTo(0))
      .addColumn('discount_amount', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('discounted_rate', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(1))
      .addForeignKeyConstraint('hd_slab_parent_fk', ['parent'], 'tabHD Dynamic Pricing Rule', ['name'], (c) => c.onDelete('cascade'))
      .execute();
    await createIndex(db, 'hd_slab_parent_idx', 'tabHD Volume Discount Slab', ['parent', 'sort_order']);

    await withStandardColumns(db.schema.createTable('tabHD Pricing Rule Application').ifNotExists(), t)
      .addColumn('pricing_rule', 'varchar(140)', (c) => c.notNull())
      .addColumn('applied_on_doctype', 'varchar(100)', (c) => c.notNull())
      .addColumn('applied_on_name', 'varchar(140)', (c) => c.notNull())
      .addColumn('application_date', t.datetime, (c) => c.notNull())
      .addColumn('customer', 'varchar(140)')
      .addColumn('item_code', 'varchar(140)')
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('qty', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('rate', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('original_rate', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('discount_amount', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('total_amount', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('validation_status', 'varchar(20)', (c) => c.notNull().defaultTo('Applied'))
      .addColumn('validation_notes', t.text)
      .addColumn('applied_by', 'varchar(140)')
      .addColumn('coupon_code', 'varchar(140)')
      .addColumn('price_snapshot', t.longtext, (c) => c.notNull())
      .addForeignKeyConstraint('hd_application_rule_fk', ['pricing_rule'], 'tabHD Dynamic Pricing Rule', ['name'], (c) =>
        c.onDelete('cascade'),
      )
      .execute();
    await createIndex(db, 'hd_application_rule_idx', 'tabHD Pricing Rule Application', ['pricing_rule', 'application_date']);
    await createIndex(db, 'hd_application_doc_idx', 'tabHD Pricing Rule Application', ['applied_on_doctype', 'applied_on_name']);
    await createIndex(db, 'hd_application_customer_idx', 'tabHD Pricing Rule Application', ['customer']);
  },
};
