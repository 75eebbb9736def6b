import type { Decimal } from '@tributary/platform/core';
import { sql, type Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { db6 } from '../../shared/numbers.js';

export interface StockKey {
  item: string;
  warehouse: string;
}

export interface LevelRow {
  actual_qty: string;
  below_reorder: number;
  /** Absent when the pair has no stored reorder parameters. */
  reorder: ReorderRow | undefined;
}

export interface ReorderRow {
  reorder_level: string;
  reorder_qty: string;
  safety_stock: string;
  max_stock_level: string;
}

const LEVEL = 'hd_stock_level' as const;

/**
 * Adds a movement's change to the item/warehouse balance and returns the row, locked by the
 * update. The first movement of a pair inserts the row; the item row is locked first, so two
 * first movements of one item cannot both insert (the second then finds the row).
 */
export async function addToLevel(trx: Kysely<ErpDatabase>, key: StockKey, change: Decimal): Promise<LevelRow> {
  const bump = () =>
    trx
      .updateTable(LEVEL)
      .set({ actual_qty: sql<string>`actual_qty + ${db6(change)}` })
      .where('item_code', '=', key.item)
      .where('warehouse', '=', key.warehouse)
      .executeTakeFirst();
  if (Number((await bump()).numUpdatedRows) === 0) {
    await trx.selectFrom('tabItem').select('name').where('name', '=', key.item).forUpdate().execute();
    if (Number((await bump()).numUpdatedRows) === 0)
      await trx
        .insertInto(LEVEL)
        .values({ item_code: key.item, warehouse: key.warehouse, actual_qty: db6(change), below_reorder: 0 })
        .execute();
  }
  // The balance and the pair's reorder parameters in one read: this runs for every movement.
  const row = await trx
    .selectFrom(`${LEVEL} as l`)
    .leftJoin('tabHD Item Warehouse Optimization as o', (join) =>
      join.onRef('o.item_code', '=', 'l.item_code').onRef('o.warehouse', '=', 'l.warehouse'),
    )
    .select(['l.actual_qty', 'l.below_reorder', 'o.reorder_level', 'o.reorder_qty', 'o.safety_stock', 'o.max_stock_level'])
    .where('l.item_code', '=', key.item)
    .where('l.warehouse', '=', key.warehouse)
    .executeTakeFirstOrThrow();
  const reorder =
    row.reorder_level === null
      ? undefined
      : {
          reorder_level: row.reorder_level,
          reorder_qty: row.reorder_qty ?? '0',
          safety_stock: row.safety_stock ?? '0',
          max_stock_level: row.max_stock_level ?? '0',
        };
  return { actual_qty: row.actual_qty, below_reorder: Number(row.below_reorder), reorder };
}

export async function setCrossing(trx: Kysely<ErpDatabase>, key: StockKey, below: boolean, at: Date): Promise<void> {
  await trx
    .updateTable(LEVEL)
    .set({ below_reorder: below ? 1 : 0, crossed_at: at })
    .where('item_code', '=', key.item)
    .where('warehouse', '=', key.warehouse)
    .execute();
}

export interface LowStockRow extends ReorderRow {
  item_code: string;
  warehouse: string;
  actual_qty: string | null;
  below_reorder: number | null;
  crossed_at: Date | null;
}

/** Pairs with a reorder level whose balance is at or below it; a pair never stocked counts as 0. */
export async function listLow(
  db: Kysely<ErpDatabase>,
  query: { item?: string; warehouse?: string; limit: number; offset: number },
): Promise<LowStockRow[]> {
  let select = db
    .selectFrom('tabHD Item Warehouse Optimization as o')
    .leftJoin('hd_stock_level as l', (join) => join.onRef('l.item_code', '=', 'o.item_code').onRef('l.warehouse', '=', 'o.warehouse'))
    .select([
      'o.item_code',
      'o.warehouse',
      'o.reorder_level',
      'o.reorder_qty',
      'o.safety_stock',
      'o.max_stock_level',
      'l.actual_qty',
      'l.below_reorder',
      'l.crossed_at',
    ])
    .where('o.reorder_level', '>', '0')
    .where((eb) => eb(eb.fn.coalesce('l.actual_qty', sql<string>`0`), '<=', eb.ref('o.reorder_level')));
  if (query.item) select = select.where('o.item_code', '=', query.item);
  if (query.warehouse) select = select.where('o.warehouse', '=', query.warehouse);
  return select
    .orderBy('o.item_code')
    .orderBy('o.warehouse')
    .limit(query.limit + 1)
    .offset(query.offset)
    .execute();
}
