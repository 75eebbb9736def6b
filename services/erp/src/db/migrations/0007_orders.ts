import { sql } from 'kysely';
import type { Migration } from '@tributary/platform/migrate';
import { createIndex, types, withChildColumns, withStandardColumns } from './ddl.js';

/**
 * Processed orders with their priced lines and the batch reservations behind them, and the
 * running stock level per item and warehouse that low-stock alerts compare with the reorder
 * level. Every statement is idempotent (MariaDB DDL is not transactional); the stock levels are
 * rebuilt from the batches' ledger balances, so a rerun gives the same rows.
 */
export const orderTables: Migration = {
  name: '0007_orders',
  up: async (db, context) => {
    const t = types(context);
    await withStandardColumns(db.schema.createTable('tabHD Order').ifNotExists(), t)
      .addColumn('customer', 'varchar(140)', (c) => c.notNull())
      .addColumn('customer_segment', 'varchar(140)')
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('order_date', t.datetime, (c) => c.notNull())
      .addColumn('reference', 'varchar(140)')
      .addColumn('line_count', 'integer', (c) => c.notNull())
      .addColumn('total_before_discount', t.qty, (c) => c.notNull())
      .addColumn('total_discount', t.qty, (c) => c.notNull())
      .addColumn('total_after_discount', t.qty, (c) => c.notNull())
      .addColumn('cancelled_at', t.datetime)
      .addColumn('cancel_reason', 'varchar(200)')
      .addForeignKeyConstraint('hd_order_customer_fk', ['customer'], 'tabCustomer', ['name'])
      .execute();
    await createIndex(db, 'hd_order_customer_idx', 'tabHD Order', ['customer', 'creation']);
    await createIndex(db, 'hd_order_creation_idx', 'tabHD Order', ['creation', 'name']);

    await withChildColumns(withStandardColumns(db.schema.createTable('tabHD Order Item').ifNotExists(), t), 'items', 'HD Order')
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('item_code', 'varchar(140)', (c) => c.notNull())
      .addColumn('warehouse', 'varchar(140)', (c) => c.notNull())
      .addColumn('uom', 'varchar(40)')
      .addColumn('qty', t.qty, (c) => c.notNull())
      .addColumn('base_rate', t.qty, (c) => c.notNull())
      .addColumn('base_amount', t.qty, (c) => c.notNull())
      .addColumn('discount_amount', t.qty, (c) => c.notNull())
      .addColumn('discount_percentage', t.qty, (c) => c.notNull())
      .addColumn('final_rate', t.qty, (c) => c.notNull())
      .addColumn('final_amount', t.qty, (c) => c.notNull())
      .addColumn('pricing_rules', t.text, (c) => c.notNull())
      .addCheckConstraint('hd_order_item_qty_pos', sql`qty > 0`)
      .addForeignKeyConstraint('hd_order_item_parent_fk', ['parent'], 'tabHD Order', ['name'])
      .execute();
    await createIndex(db, 'hd_order_item_line_uq', 'tabHD Order Item', ['parent', 'line_no'], true);

    await withChildColumns(
      withStandardColumns(db.schema.createTable('tabHD Order Reservation').ifNotExists(), t),
      'reservations',
      'HD Order',
    )
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('batch_id', 'varchar(140)', (c) => c.notNull())
      .addColumn('qty', t.qty, (c) => c.notNull())
      .addColumn('expiry_date', 'date', (c) => c.notNull())
      .addColumn('movement', 'varchar(140)', (c) => c.notNull().unique())
      .addColumn('release_movement', 'varchar(140)', (c) => c.unique())
      .addCheckConstraint('hd_order_reservation_qty_pos', sql`qty > 0`)
      .addForeignKeyConstraint('hd_order_reservation_parent_fk', ['parent'], 'tabHD Order', ['name'])
      .addForeignKeyConstraint('hd_order_reservation_batch_fk', ['batch_id'], 'tabHD Batch Master', ['name'])
      .execute();
    await createIndex(db, 'hd_order_reservation_parent_idx', 'tabHD Order Reservation', ['parent', 'line_no']);

    await db.schema
      .createTable('hd_stock_level')
      .ifNotExists()
      .addColumn('item_code', 'varchar(140)', (c) => c.notNull())
      .addColumn('warehouse', 'varchar(140)', (c) => c.notNull())
      .addColumn('actual_qty', t.qty, (c) => c.notNull())
      .addColumn('below_reorder', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('crossed_at', t.datetime)
      .addPrimaryKeyConstraint('hd_stock_level_pk', ['item_code', 'warehouse'])
      .execute();
    await db.deleteFrom('hd_stock_level').execute();
    await sql`insert into ${sql.table('hd_stock_level')} (item_code, warehouse, actual_qty, below_reorder)
      select item, warehouse, sum(available_qty), 0 from ${sql.table('tabHD Batch Master')} group by item, warehouse`.execute(db);
  },
};
