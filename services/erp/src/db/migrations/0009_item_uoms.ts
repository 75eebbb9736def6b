import { sql } from 'kysely';
import type { Migration } from '@tributary/platform/migrate';
import { createIndex, types, withChildColumns, withStandardColumns } from './ddl.js';

/**
 * ERPNext's UoM conversions of an item (`tabUOM Conversion Detail`, the item's `uoms` table):
 * one stock UoM worth `conversion_factor` per unit of each other UoM. Every item that names a
 * stock UoM gets its factor-1 row, as ERPNext keeps it. Order lines record the factor they were
 * converted with and the quantity in stock units, so a later change of the master does not
 * rewrite what was reserved; existing lines were all in stock units (factor 1).
 */
export const itemUoms: Migration = {
  name: '0009_item_uoms',
  up: async (db, context) => {
    const t = types(context);
    await withChildColumns(withStandardColumns(db.schema.createTable('tabUOM Conversion Detail').ifNotExists(), t), 'uoms', 'Item')
      .addColumn('uom', 'varchar(140)', (c) => c.notNull())
      .addColumn('conversion_factor', t.qty, (c) => c.notNull())
      .addCheckConstraint('hd_uom_factor_pos', sql`conversion_factor > 0`)
      .addForeignKeyConstraint('hd_uom_item_fk', ['parent'], 'tabItem', ['name'], (c) => c.onDelete('cascade'))
      .execute();
    await createIndex(db, 'hd_uom_item_uq', 'tabUOM Conversion Detail', ['parent', 'uom'], true);
    await sql`insert into ${sql.table('tabUOM Conversion Detail')}
        (name, creation, modified, docstatus, idx, parent, parentfield, parenttype, uom, conversion_factor)
      select left(concat('UOM-', i.name), 140), i.creation, i.modified, 0, 0, i.name, 'uoms', 'Item', i.stock_uom, 1
      from ${sql.table('tabItem')} i
      where i.stock_uom is not null and not exists (
        select 1 from ${sql.table('tabUOM Conversion Detail')} d where d.parent = i.name and d.uom = i.stock_uom)`.execute(db);
    const item = sql.table('tabHD Order Item');
    await sql`alter table ${item} add column if not exists conversion_factor ${t.qty} not null default 1`.execute(db);
    await sql`alter table ${item} add column if not exists stock_qty ${t.qty}`.execute(db);
    await sql`update ${item} set stock_qty = qty where stock_qty is null`.execute(db);
  },
};
