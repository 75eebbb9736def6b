import type { Migration } from '@tributary/platform/migrate';
import { createIndex, types, withStandardColumns } from './ddl.js';

export const segmentTables: Migration = {
  name: '0002_segments',
  up: async (db, context) => {
    const t = types(context);
    await withStandardColumns(db.schema.createTable('tabHD Customer Segment').ifNotExists(), t)
      .addColumn('segment_code', 'varchar(20)', (c) => c.notNull().unique())
      .addColumn('segment_name', 'varchar(100)', (c) => c.notNull())
      .addColumn('segment_description', t.text)
      .addColumn('segment_type', 'varchar(30)', (c) => c.notNull())
      .addColumn('priority_level', 'integer', (c) => c.notNull().defaultTo(3))
      .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('default_price_list', 'varchar(140)')
      .addColumn('discount_percentage', t.pct, (c) => c.notNull().defaultTo(0))
      .addColumn('minimum_order_amount', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('credit_limit_multiplier', t.pct, (c) => c.notNull().defaultTo(1))
      .addColumn('payment_terms', 'varchar(140)')
      .addColumn('territory', 'varchar(140)')
      .addColumn('customer_group', 'varchar(140)')
      .addColumn('special_pricing_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('min_annual_purchase', t.qty)
      .addColumn('auto_assignment_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('auto_assignment_rules', t.text)
      .addColumn('escalation_segment', 'varchar(140)')
      .addColumn('demotion_segment', 'varchar(140)')
      .addColumn('review_frequency_days', 'integer')
      .addColumn('segment_notes', t.text)
      .execute();
    await withStandardColumns(db.schema.createTable('tabHD Customer Segment Assignment').ifNotExists(), t)
      .addColumn('customer', 'varchar(140)', (c) => c.notNull())
      .addColumn('customer_segment', 'varchar(140)', (c) => c.notNull())
      .addColumn('assignment_date', 'date', (c) => c.notNull())
      .addColumn('effective_from', 'date', (c) => c.notNull())
      .addColumn('effective_to', 'date')
      .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('assignment_type', 'varchar(20)', (c) => c.notNull().defaultTo('Manual'))
      .addColumn('assignment_reason', 'varchar(200)')
      .addColumn('assigned_by', 'varchar(140)')
      .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('Active'))
      .addColumn('review_date', 'date')
      .addColumn('discount_percentage_applied', t.pct)
      .addColumn('credit_limit_at_assignment', t.qty)
      .addColumn('annual_purchase_at_assignment', t.qty)
      .addColumn('superseded_by', 'varchar(140)')
      .addColumn('assignment_notes', t.text)
      .addForeignKeyConstraint('hd_assignment_customer_fk', ['customer'], 'tabCustomer', ['name'], (c) => c.onDelete('cascade'))
      .addForeignKeyConstraint('hd_assignment_segment_fk', ['customer_segment'], 'tabHD Customer Segment', ['name'], (c) =>
        c.onDelete('cascade'),
      )
      .execute();
    await createIndex(
      db,
      'hd_assignment_uq',
      'tabHD Customer Segment Assignment',
      ['customer', 'customer_segment', 'effective_from'],
      true,
    );
    await createIndex(db, 'hd_assignment_active_idx', 'tabHD Customer Segment Assignment', [
      'customer',
      'is_primary',
      'status',
      'effective_from',
    ]);
    await createIndex(db, 'hd_assignment_segment_idx', 'tabHD Customer Segment Assignment', ['customer_segment', 'status']);
    await createIndex(db, 'hd_assignment_review_idx', 'tabHD Customer Segment Assignment', ['status', 'review_date']);

    await withStandardColumns(db.schema.createTable('tabHD Customer Territory Mapping').ifNotExists(), t)
      .addColumn('customer', 'varchar(140)', (c) => c.notNull())
      .addColumn('territory', 'varchar(140)', (c) => c.notNull())
      .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('effective_from', 'date', (c) => c.notNull())
      .addColumn('effective_to', 'date')
      .addColumn('mapping_reason', 'varchar(200)')
      .addColumn('delivery_preference', 'varchar(50)')
      .addColumn('sales_person', 'varchar(140)')
      .addColumn('delivery_cost_factor', t.pct, (c) => c.notNull().defaultTo(1))
      .addColumn('service_level', 'varchar(30)')
      .addForeignKeyConstraint('hd_territory_customer_fk', ['customer'], 'tabCustomer', ['name'], (c) => c.onDelete('cascade'))
      .execute();
    await createIndex(db, 'hd_territory_uq', 'tabHD Customer Territory Mapping', ['customer', 'territory', 'effective_from'], true);
    await createIndex(db, 'hd_territory_territory_idx', 'tabHD Customer Territory Mapping', ['territory']);

    await withStandardColumns(db.schema.createTable('tabHD Customer Metrics').ifNotExists(), t)
      .addColumn('customer', 'varchar(140)', (c) => c.notNull().unique())
      .addColumn('annual_purchase', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('total_orders', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_order_date', 'date')
      .addForeignKeyConstraint('hd_metrics_customer_fk', ['customer'], 'tabCustomer', ['name'], (c) => c.onDelete('cascade'))
      .execute();
  },
};
