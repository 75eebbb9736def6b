import type { Migration } from '@tributary/platform/migrate';
import { createIndex, types, withStandardColumns } from './ddl.js';

/** ERPNext's own masters, with just the columns this service reads; left alone when ERPNext already created them. */
export const coreTables: Migration = {
  name: '0001_core_tables',
  up: async (db, context) => {
    const t = types(context);
    await withStandardColumns(db.schema.createTable('tabCustomer').ifNotExists(), t)
      .addColumn('customer_name', 'varchar(140)', (c) => c.notNull())
      .addColumn('customer_group', 'varchar(140)')
      .addColumn('territory', 'varchar(140)')
      .addColumn('customer_type', 'varchar(20)')
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('credit_limit', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('payment_terms', 'varchar(140)')
      .execute();
    await withStandardColumns(db.schema.createTable('tabItem').ifNotExists(), t)
      .addColumn('item_code', 'varchar(140)', (c) => c.notNull())
      .addColumn('item_name', 'varchar(140)')
      .addColumn('item_group', 'varchar(140)')
      .addColumn('brand', 'varchar(140)')
      .addColumn('stock_uom', 'varchar(140)')
      .addColumn('standard_rate', t.qty, (c) => c.notNull().defaultTo(0))
      .addColumn('has_batch_no', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await withStandardColumns(db.schema.createTable('tabWarehouse').ifNotExists(), t)
      .addColumn('warehouse_name', 'varchar(140)', (c) => c.notNull())
      .addColumn('is_group', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await createIndex(db, 'hd_item_group_idx', 'tabItem', ['item_group']);
    await createIndex(db, 'hd_customer_group_idx', 'tabCustomer', ['customer_group']);
  },
};
