import { Decimal, dec } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { emit, type Actor, type ErpDeps } from '../../shared/context.js';
import { pageOf } from '../../shared/docs.js';
import { show } from '../../shared/numbers.js';
import { addToLevel, listLow, setCrossing, type ReorderRow, type StockKey } from './low-stock.repository.js';

/**
 * What to buy when a pair falls to its reorder level: the stored reorder quantity when the
 * optimisation computed one, else the original's rule max(level − on hand, ½ × level).
 */
export function suggestedQty(reorder: ReorderRow, actual: Decimal): Decimal {
  if (dec(reorder.reorder_qty).gt(0)) return dec(reorder.reorder_qty);
  const level = dec(reorder.reorder_level);
  return Decimal.max(level.minus(actual), level.div(2));
}

/**
 * Called by the ledger for every movement, in the movement's transaction. The balance row is
 * locked by the update, so concurrent movements of one pair decide crossings one at a time and
 * `erp.stock.low` goes out once per fall to or below the reorder level; it goes out again only
 * after a movement has taken the balance back above the level. A level of 0 means none is set.
 */
export async function trackStockChange(trx: Kysely<ErpDatabase>, key: StockKey, change: Decimal, actor: Actor, now: number): Promise<void> {
  const level = await addToLevel(trx, key, change);
  const reorder = level.reorder;
  const actual = dec(level.actual_qty);
  const below = reorder !== undefined && dec(reorder.reorder_level).gt(0) && actual.lte(reorder.reorder_level);
  const wasBelow = level.below_reorder === 1;
  if (below === wasBelow) return;
  await setCrossing(trx, key, below, new Date(now));
  if (!below || !reorder) return;
  const aggregate = { aggregateType: 'item_warehouse', aggregateId: `${key.item}::${key.warehouse}` };
  await emit(
    trx,
    {
      type: 'erp.stock.low',
      ...aggregate,
      payload: {
        item_code: key.item,
        warehouse: key.warehouse,
        actual_qty: show(actual),
        reorder_level: show(reorder.reorder_level),
        safety_stock: show(reorder.safety_stock),
        crossed_at: new Date(now).toISOString(),
      },
    },
    actor,
    now,
  );
  await emit(
    trx,
    {
      type: 'erp.procurement.requested',
      ...aggregate,
      payload: {
        item_code: key.item,
        warehouse: key.warehouse,
        suggested_qty: show(suggestedQty(reorder, actual)),
        actual_qty: show(actual),
        reorder_level: show(reorder.reorder_level),
        reason: 'low_stock',
      },
    },
    actor,
    now,
  );
}

export async function listLowStock(deps: Pick<ErpDeps, 'db'>, query: { item?: string; warehouse?: string; limit: number; offset: number }) {
  const rows = await listLow(deps.db, query);
  const items = rows.map((row) => {
    const actual = dec(row.actual_qty ?? 0);
    return {
      item_code: row.item_code,
      warehouse: row.warehouse,
      actual_qty: show(actual),
      reorder_level: show(row.reorder_level),
      safety_stock: show(row.safety_stock),
      shortfall: show(dec(row.reorder_level).minus(actual)),
      suggested_qty: show(suggestedQty(row, actual)),
      alerted: Number(row.below_reorder ?? 0) === 1,
      crossed_at: row.crossed_at ? new Date(row.crossed_at).toISOString() : null,
    };
  });
  return pageOf(items, query.limit, query.offset);
}
