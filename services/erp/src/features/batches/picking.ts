import { Decimal, dec } from '@tributary/platform/core';
import { sql, type Kysely } from '@tributary/platform/db';
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
  return strategy === 'FEFO'
    ? ['expiry_date', 'manufacturing_date', 'creation', 'name']
    : ['manufacturing_date', 'expiry_date', 'creation', 'name'];
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
    allocations.push({
      batch: batch.name,
      qty: show(take),
      expiry_date: batch.expiry_date,
      manufacturing_date: batch.manufacturing_date,
      available_before: show(available),
    });
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

/** What makes a batch usable: status Active (quality released, not quarantined/recalled/consumed), positive stock, not expired. */
function usable(db: Kysely<ErpDatabase>, filter: PickFilter) {
  const firstUsableExpiry = addDays(filter.today, Math.max(1, (filter.min_shelf_life_days ?? 0) + 1));
  return db
    .selectFrom('tabHD Batch Master')
    .select(['name', 'item', 'warehouse', 'available_qty', 'expiry_date', 'manufacturing_date', 'creation'])
    .where('status', '=', 'Active')
    .where('is_active', '=', 1)
    .where('expiry_date', '>=', firstUsableExpiry)
    .where('available_qty', '>', '0');
}

type UsableRow = {
  name: string;
  item: string;
  warehouse: string;
  available_qty: string;
  expiry_date: Date | string;
  manufacturing_date: Date | string;
  creation: Date;
};

function toCandidate(row: UsableRow): Candidate {
  return {
    name: row.name,
    available_qty: row.available_qty,
    expiry_date: isoDate(row.expiry_date),
    manufacturing_date: isoDate(row.manufacturing_date),
    creation: row.creation.getTime(),
  };
}

const FIRST_PAGE = 16;

/**
 * Usable batches in picking order for every (item, warehouse) of a request.
 *
 * Planning (no lock) reads only the head of the picking order of every key — the first 16
 * batches per key in one query (per-key index-ordered scans: a LATERAL join on PostgreSQL, a union on MariaDB), then 4× more for a key
 * whose head does not cover what the request needs — so a plan costs about the same with 20 or
 * 2,000 batches of an item. Consuming (`lock`) reads and locks every usable batch of the keys in
 * one query, in one canonical order (by name) whatever the strategy, so a FEFO and a FIFO
 * consumer of the same batches cannot deadlock; the picking order is then applied in memory
 * with the same keys the planning query sorts by.
 */
export async function usableBatchesFor(
  db: Kysely<ErpDatabase>,
  deps: Pick<ErpDeps, 'dialect'>,
  keys: readonly (PickKey & { qty?: string; batches?: string[] })[],
  filter: PickFilter,
  strategy: PickStrategy,
  lock: boolean,
): Promise<Map<string, Candidate[]>> {
  const needed = new Map<string, { item: string; warehouse: string; qty: Decimal; named: Set<string> }>();
  for (const k of keys) {
    const key = keyOf(k.item, k.warehouse);
    const entry = needed.get(key) ?? { item: k.item, warehouse: k.warehouse, qty: dec(0), named: new Set<string>() };
    // A line naming its batches is served from those alone (fetched below), not from the head.
    if (k.batches) for (const name of k.batches) entry.named.add(name);
    else entry.qty = entry.qty.plus(k.qty ?? 0);
    needed.set(key, entry);
  }
  const byKey = new Map<string, Candidate[]>([...needed.keys()].map((k) => [k, []]));
  if (needed.size === 0) return byKey;
  if (lock) {
    const rows = await usable(db, filter)
      .where('item', 'in', [...new Set(keys.map((k) => k.item))])
      .where('warehouse', 'in', [...new Set(keys.map((k) => k.warehouse))])
      .orderBy('name')
      .forUpdate()
      .execute();
    for (const row of rows) byKey.get(keyOf(row.item, row.warehouse))?.push(toCandidate(row));
    for (const list of byKey.values()) list.sort(comparePicking(strategy));
    return byKey;
  }
  // First page of every key in one statement: per key, the head of an index-ordered scan
  // (hd_batch_pick_idx walks a key's active batches in picking order and stops after a page),
  // so nothing is loaded or ranked beyond what the plan can use.
  const ordered = (query: ReturnType<typeof usable>) => pickingKeys(strategy).reduce((q, column) => q.orderBy(column, 'asc'), query);
  const keyList = [...needed.values()];
  let heads;
  if (deps.dialect === 'mysql') {
    // MariaDB has no LATERAL: one parenthesised LIMIT scan per key, concatenated.
    const union = sql.join(
      keyList.map(
        ({ item, warehouse }) =>
          sql`(${ordered(usable(db, filter).where('item', '=', item).where('warehouse', '=', warehouse)).limit(FIRST_PAGE)})`,
      ),
      sql` union all `,
    );
    heads = db.selectFrom(sql<UsableRow>`(${union})`.as('head'));
  } else {
    // PostgreSQL plans one small LIMIT scan and runs it per key: cheaper to plan than a union of 50.
    const perKey = ordered(
      usable(db, filter).where(sql.ref('item'), '=', sql.ref('k.item')).where(sql.ref('warehouse'), '=', sql.ref('k.warehouse')),
    ).limit(FIRST_PAGE);
    const items = keyList.map((k) => k.item);
    const warehouses = keyList.map((k) => k.warehouse);
    heads = db.selectFrom(
      sql<UsableRow>`(select h.* from unnest(${items}::text[], ${warehouses}::text[]) as k(item, warehouse) cross join lateral (${perKey}) as h)`.as(
        'head',
      ),
    );
  }
  let firstPageQuery = heads.selectAll().orderBy('item').orderBy('warehouse');
  for (const column of pickingKeys(strategy)) firstPageQuery = firstPageQuery.orderBy(column);
  const firstPage = await firstPageQuery.execute();
  for (const row of firstPage) byKey.get(keyOf(row.item, row.warehouse))?.push(toCandidate(row));
  await Promise.all(
    [...needed.entries()].map(async ([key, want]) => {
      let candidates = byKey.get(key)!;
      // Deeper pages only for the rare key whose head does not cover the need.
      for (
        let limit = FIRST_PAGE * 4;
        candidates.length === limit / 4 && candidates.reduce((sum, c) => sum.plus(c.available_qty), dec(0)).lt(want.qty);
        limit *= 4
      ) {
        const query = ordered(usable(db, filter).where('item', '=', want.item).where('warehouse', '=', want.warehouse));
        candidates = (await query.limit(limit).execute()).map((row) => toCandidate(row));
      }
      if (want.named.size > 0) {
        const have = new Set(candidates.map((c) => c.name));
        const named = await usable(db, filter)
          .where('item', '=', want.item)
          .where('warehouse', '=', want.warehouse)
          .where('name', 'in', [...want.named])
          .execute();
        for (const row of named) if (!have.has(row.name)) candidates.push(toCandidate(row));
        candidates.sort(comparePicking(strategy));
      }
      byKey.set(key, candidates);
    }),
  );
  return byKey;
}

export function candidatesFor(all: Map<string, Candidate[]>, item: string, warehouse: string): Candidate[] {
  return all.get(keyOf(item, warehouse)) ?? [];
}
