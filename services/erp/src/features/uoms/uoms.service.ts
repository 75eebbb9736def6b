import { dec } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { ErpError } from '../../errors.js';
import { runCommand, type Actor, type ErpDeps } from '../../shared/context.js';
import { generatedName, newDoc } from '../../shared/docs.js';
import { db6, show } from '../../shared/numbers.js';
import * as repo from './uoms.repository.js';

export interface UomInput {
  uom: string;
  conversion_factor: string;
}

/** Per item: its stock UoM and the stock units in one of each other UoM. */
export type ItemUnits = Map<string, { stock_uom: string | null; factors: Map<string, string> }>;

/** The units of these items, for converting order lines (read in the caller's transaction). */
export async function unitsOf(db: Kysely<ErpDatabase>, items: readonly { name: string; stock_uom: string | null }[]): Promise<ItemUnits> {
  const units: ItemUnits = new Map(items.map((i) => [i.name, { stock_uom: i.stock_uom, factors: new Map<string, string>() }]));
  for (const row of await repo.conversionsOf(
    db,
    items.map((i) => i.name),
  ))
    units.get(row.parent)?.factors.set(row.uom, show(row.conversion_factor));
  return units;
}

/**
 * Stock units per unit of `uom` for the item: 1 for its stock UoM (or no UoM named), the
 * item's conversion otherwise, undefined when the item has none for that UoM.
 */
export function factorFor(units: ItemUnits, item: string, uom: string | null): string | undefined {
  const known = units.get(item);
  if (!known) return undefined;
  if (uom === null || uom === known.stock_uom) return '1';
  return known.factors.get(uom);
}

export async function listUoms(deps: Pick<ErpDeps, 'db'>, item: string) {
  const found = await repo.findItem(deps.db, item);
  if (!found) throw ErpError.ITEM_NOT_FOUND(`item ${item} not found`);
  const rows = await repo.conversionsOf(deps.db, [item]);
  return {
    item,
    stock_uom: found.stock_uom,
    uoms: rows.map((r) => ({ uom: r.uom, conversion_factor: show(r.conversion_factor) })),
  };
}

/** Replaces the item's conversions; the stock UoM, when listed, must be worth exactly 1. */
export async function setUoms(deps: ErpDeps, item: string, uoms: readonly UomInput[], actor: Actor) {
  const seen = new Set<string>();
  for (const u of uoms) {
    if (seen.has(u.uom)) throw ErpError.ITEM_UOM_INVALID(`uom ${u.uom} is listed twice`, { details: { uom: u.uom } });
    seen.add(u.uom);
  }
  await runCommand(deps, actor, async (trx) => {
    const found = await repo.findItem(trx, item);
    if (!found) throw ErpError.ITEM_NOT_FOUND(`item ${item} not found`);
    const stock = uoms.find((u) => u.uom === found.stock_uom);
    if (stock && !dec(stock.conversion_factor).eq(1))
      throw ErpError.ITEM_UOM_INVALID(`the stock UoM ${stock.uom} converts with factor 1`, { details: { uom: stock.uom } });
    const now = deps.clock.now();
    await repo.replaceConversions(
      trx,
      item,
      uoms.map((u, index) => ({
        ...newDoc(generatedName('HD-UOM'), now, actor.user),
        idx: index,
        parent: item,
        parentfield: 'uoms',
        parenttype: 'Item',
        uom: u.uom,
        conversion_factor: db6(u.conversion_factor),
      })),
    );
  });
  return listUoms(deps, item);
}
