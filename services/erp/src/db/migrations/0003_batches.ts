import { sql } from 'kysely';
import type { Migration } from '@tributary/platform/migrate';
import { createIndex, types, withStandardColumns } from './ddl.js';

export const batchTables: Migration = {
  name: '0003_batches',
  up: async (db, context) => {
    const t = types(context);
    let batch = withStandardColumns(db.schema.createTable('tabHD Batch Master').ifNotExists(), t)
      .addColumn('batch_id', 'varchar(50)', (c) => c.notNull().unique())
      .addColumn('item', 'varchar(140)', (c) => c.notNull())
      .addColumn('item_name', 'varchar(200)')
      .addColumn('warehouse', 'varchar(140)', (c) => c.notNull())
      .addColumn('supplier', 'varchar(140)')
      .addColumn('supplier_batch_id', 'varchar(100)')
      .addColumn('manufacturing_date', 'date', (c) => c.notNull())
      .addColumn('expiry_date', 'date', (c) => c.notNull())
      .addColumn('best_before_date', 'date')
      .addColumn('production_line', 'varchar(50)')
      .addColumn('production_shift', 'varchar(20)')
      .addColumn('quality_grade', 'varchar(20)', (c) => c.notNull().defaultTo('A'));
    for (const column of ['total_qty', 'available_qty', 'reserved_qty', 'sold_qty', 'damaged_qty', 'expired_qty', 'unit_cost']) {
      batch = batch.addColumn(column, t.qty, (c) => c.notNull().defaultTo(0));
    }
    for (const column of [
      'sugar_content_percentage',
      'fat_content_percentage',
      'moisture_content_percentage',
      'storage_temperature_min',
      'storage_temperature_max',
      'storage_humidity_max',
    ]) {
      batch = batch.addColumn(column, t.small);
    }
    await batch
      .addColumn('quality_tested', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('quality_test_date', 'date')
      .addColumn('quality_notes', t.text)
      .addColumn('allergen_info', t.text)
      .addColumn('nutritional_info', t.longtext)
      .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('Active'))
      .addColumn('batch_notes', t.text)
      .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('source_batch', 'varchar(140)')
      .addColumn('last_alert_level', 'varchar(20)')
      .addColumn('movement_seq', 'integer', (c) => c.notNull().defaultTo(0))
      // The ledger's running balance may never go below zero: the last line of defence.
      .addCheckConstraint('hd_batch_available_nonneg', sql`available_qty >= 0`)
      .addForeignKeyConstraint('hd_batch_item_fk', ['item'], 'tabItem', ['name'])
      .addForeignKeyConstraint('hd_batch_warehouse_fk', ['warehouse'], 'tabWarehouse', ['name'])
      .execute();
    await createIndex(db, 'hd_batch_item_wh_idx', 'tabHD Batch Master', ['item', 'warehouse', 'status', 'expiry_date']);
    await createIndex(db, 'hd_batch_expiry_idx', 'tabHD Batch Master', ['expiry_date', 'status', 'available_qty']);

    await withStandardColumns(db.schema.createTable('tabHD Batch Movement').ifNotExists(), t)
      .addColumn('batch_id', 'varchar(140)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('movement_type', 'varchar(30)', (c) => c.notNull())
      .addColumn('movement_date', t.datetime, (c) => c.notNull())
      .addColumn('item_code', 'varchar(140)', (c) => c.notNull())
      .addColumn('warehouse', 'varchar(140)', (c) => c.notNull())
      .addColumn('reference_doctype', 'varchar(100)')
      .addColumn('reference_name', 'varchar(140)')
      .addColumn('qty_before', t.qty, (c) => c.notNull())
      .addColumn('qty_change', t.qty, (c) => c.notNull())
      .addColumn('qty_after', t.qty, (c) => c.notNull())
      .addColumn('from_warehouse', 'varchar(140)')
      .addColumn('to_warehouse', 'varchar(140)')
      .addColumn('reason', 'varchar(200)')
      .addColumn('notes', t.text)
      .addColumn('operator', 'varchar(140)')
      .addColumn('reverses_movement', 'varchar(140)', (c) => c.unique())
      .addCheckConstraint('hd_movement_chain', sql`qty_after = qty_before + qty_change and qty_after >= 0`)
      .addForeignKeyConstraint('hd_movement_batch_fk', ['batch_id'], 'tabHD Batch Master', ['name'])
      .execute();
    await createIndex(db, 'hd_movement_seq_uq', 'tabHD Batch Movement', ['batch_id', 'seq'], true);
    await createIndex(db, 'hd_movement_item_idx', 'tabHD Batch Movement', ['item_code', 'warehouse', 'movement_type', 'movement_date']);
    await createIndex(db, 'hd_movement_ref_idx', 'tabHD Batch Movement', ['reference_doctype', 'reference_name']);

    await withStandardColumns(db.schema.createTable('tabHD Item Warehouse Optimization').ifNotExists(), t)
      .addColumn('item_code', 'varchar(140)', (c) => c.notNull())
      .addColumn('warehouse', 'varchar(140)', (c) => c.notNull())
      .addColumn('reorder_level', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('reorder_qty', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('max_stock_level', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('safety_stock', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('avg_daily_consumption', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('demand_std_dev', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('lead_time_days', 'integer', (c) => c.notNull().defaultTo(7))
      .addColumn('seasonal_factor', t.pct, (c) => c.notNull().defaultTo(1))
      .addColumn('holding_cost_percentage', t.pct, (c) => c.notNull().defaultTo(15))
      .addColumn('ordering_cost', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('service_level_target', t.small, (c) => c.notNull().defaultTo(95))
      .addColumn('lookback_days', 'integer', (c) => c.notNull().defaultTo(90))
      .addColumn('computed_at', t.datetime)
      .addForeignKeyConstraint('hd_iwo_item_fk', ['item_code'], 'tabItem', ['name'], (c) => c.onDelete('cascade'))
      .addForeignKeyConstraint('hd_iwo_warehouse_fk', ['warehouse'], 'tabWarehouse', ['name'], (c) => c.onDelete('cascade'))
      .execute();
    await createIndex(db, 'hd_iwo_uq', 'tabHD Item Warehouse Optimization', ['item_code', 'warehouse'], true);
  },
};
