import { Decimal, dec } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { addDays, isoDate } from '../../shared/dates.js';
import type { ErpDeps } from '../../shared/context.js';
import { show } from '../../shared/numbers.js';

/**
 * The one picking order every stock-out path uses (pick plans, consumption, transfers by item).
 * FEFO: earliest expiry first; FIFO: earliest manufactured first. Ties fall back to the other
 * date, then creation, then the name, so the order is total and the same on every database.
 */
export type PickStrategy = 'FEFO' | 'FIFO';
type Key = 'expiry_date' | 'manufacturing_date' | 'creation' | 'name';

export function pickingKeys(strategy: PickStrategy): readonly Key[] {
  return strategy === 'FEFO' ? ['expiry_date', 'manufacturing_date', 'creation', 'name'] : ['manufacturing_date', 'expiry_date', 'creation', 'name'];
}

export interface Candidate {
  name: string;
  available_qty: string;
  expiry_date: string;
  manufacturing_date: string;
  creation: number;
}

/** The same order in memory (used to merge candidates and in tests against the SQL order). */
export function comparePicking(strategy: PickStrategy): (a: Candidate, b: Candidate) => number {
  const keys = pickingKeys(strategy);
  return (a, b) => {
    for (const key of keys) {
      const x = a[key];
      const y = b[key];
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
}

export interface Allocation {
  batch: string;
  qty: string;
  expiry_date: string;
  manufacturing_date: string;
  available_before: string;
}
export interface PickResult {
  allocations: Allocation[];
  total_allocated: string;
  shortage: string;
}

/** Takes min(remaining, available) from each candidate in order until the need is met. */
export function allocate(ordered: readonly Candidate[], qty: string | Decimal): PickResult {
  let remaining = dec(qty);
  const allocations: Allocation[] = [];
  for (const batch of ordered) {
    if (remaining.lte(0)) break;
    const available = dec(batch.available_qty);
    if (available.lte(0)) continue;
    const take = Decimal.min(available, remaining);
    allocations.push({ batch: batch.name, qty: show(take), expiry_date: batch.expiry_date, manufacturing_date: batch.manufacturing_date, available_before: show(available) });
    remaining = remaining.minus(take);
  }
  const total = dec(qty).minus(remaining);
  return { allocations, total_allocated: show(total), shortage: show(remaining) };
}

export interface PickFilter {
  /** Plant date; batches expiring on or before it are not usable. */
  today: string;
  /** Only batches with at least this many days of shelf life left after today. */
  min_shelf_life_days?: number;
}

export interface PickKey {
  item: string;
  warehouse: string;
}

const keyOf = (item: string, warehouse: string) => `${item}\u0000${warehouse}`;

/**
 * Usable batches in picking order for every (item, warehouse) of a request, in one query:
 * status Active (quality released, not quarantined/recalled/consumed), positive stock, not
 * expired. With `lock`, the rows stay locked for the rest of the caller's transaction; locks
 * are taken in one canonical order (by name) whatever the strategy, so a FEFO and a FIFO picker
 * of the same batches cannot deadlock. The picking order itself is then applied in memory with
 * the same keys the unlocked query sorts by.
 */
export async function usableBatchesFor(
  db: Kysely<ErpDatabase>,
  deps: Pick<ErpDeps, 'dialect'>,
  keys: readonly PickKey[],
  filter: PickFilter,
  strategy: PickStrategy,
  lock: boolean,
): Promise<Map<string, Candidate[]>> {
  const byKey = new Map<string, Candidate[]>(keys.map((k) => [keyOf(k.item, k.warehouse), []]));
  if (keys.length === 0) return byKey;
  const firstUsableExpiry = addDays(filter.today, Math.max(1, (filter.min_shelf_life_days ?? 0) + 1));
  let query = db
    .selectFrom('tabHD Batch Master')
    .select(['name', 'item', 'warehouse', 'available_qty', 'expiry_date', 'manufacturing_date', 'creation'])
    .where('item', 'in', [...new Set(keys.map((k) => k.item))])
    .where('warehouse', 'in', [...new Set(keys.map((k) => k.warehouse))])
    .where('status', '=', 'Active')
    .where('is_active', '=', 1)
    .where('expiry_date', '>=', firstUsableExpiry)
    .where('available_qty', '>', '0');
  if (lock) query = query.orderBy('name').forUpdate();
  else for (const key of pickingKeys(strategy)) query = query.orderBy(key, 'asc');
  for (const row of await query.execute()) {
    byKey.get(keyOf(row.item, row.warehouse))?.push({
      name: row.name,
      available_qty: row.available_qty,
      expiry_date: isoDate(row.expiry_date, deps.dialect),
      manufacturing_date: isoDate(row.manufacturing_date, deps.dialect),
      creation: row.creation.getTime(),
    });
  }
  if (lock) for (const list of byKey.values()) list.sort(comparePicking(strategy));
  return byKey;
}

export function candidatesFor(all: Map<string, Candidate[]>, item: string, warehouse: string): Candidate[] {
  return all.get(keyOf(item, warehouse)) ?? [];
}

