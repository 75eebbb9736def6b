import { dec } from '@tributary/platform/core';
import { sql } from '@tributary/platform/db';
import { kg } from '../../domain/values.js';
import { ProcessingError } from '../../errors.js';
import type { FeatureDeps } from '../deps.js';
import { flavorsheetMixtures } from '../sheets/sheets.repository.js';
import type { ProcessingPipelineCounts } from '@tributary/contracts';
import {
  blendsheetSummary,
  likePattern,
  locationDistribution,
  pipelineStageCounts,
  tealineLotStats,
  type TealineLotStats,
} from './dashboard.repository.js';

/**
 * The reference's later, optional dashboard endpoints (§5.3). They answer in the
 * `{success, data, meta}` envelope those endpoints used; the core endpoints stay raw JSON.
 */
const DAY_MS = 86_400_000;
const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100);
const iso = (epochMs: string | null) => (epochMs === null ? null : new Date(Number(epochMs)).toISOString());

/** What names a tealine lot in every dashboard row: its key and where it was bought. */
const lotIdentity = ({ item_code, created_ts, broker, garden, grade }: TealineLotStats) => ({
  item_code,
  created_ts: Number(created_ts),
  broker,
  garden,
  grade,
});

export type LotProgress = 'PENDING' | 'PARTIAL' | 'COMPLETE';

export async function pendingTealine(deps: FeatureDeps, filter: { broker?: string; garden?: string; status?: LotProgress }) {
  const now = deps.clock.now();
  const lots = (await tealineLotStats(deps.db, filter)).map((lot) => {
    const status: LotProgress = lot.received_bags === 0 ? 'PENDING' : lot.received_bags >= lot.expected_bags ? 'COMPLETE' : 'PARTIAL';
    return {
      ...lotIdentity(lot),
      purchase_order: lot.purchase_order,
      expected_bags: lot.expected_bags,
      received_bags: lot.received_bags,
      pending_bags: Math.max(0, lot.expected_bags - lot.received_bags),
      completion_percentage: percent(lot.received_bags, lot.expected_bags),
      age_days: Math.max(0, Math.floor((now - Number(lot.created_ts)) / DAY_MS)),
      status,
      primary_location: lot.primary_location,
      total_received_weight: kg(dec(lot.total_net_weight)),
    };
  });
  // Without a status filter the list is what its name says: lots still waiting for bags.
  const data = lots.filter((lot) => (filter.status ? lot.status === filter.status : lot.status !== 'COMPLETE'));
  const ages = data.map((lot) => lot.age_days);
  return {
    success: true,
    data,
    meta: {
      total_items: data.length,
      total_pending_bags: data.reduce((sum, lot) => sum + lot.pending_bags, 0),
      average_age_days: ages.length === 0 ? 0 : Math.round((ages.reduce((a, b) => a + b, 0) / ages.length) * 100) / 100,
    },
  };
}

export async function tealineInventory(deps: FeatureDeps) {
  const [lots, spread] = await Promise.all([tealineLotStats(deps.db, {}), locationDistribution(deps.db)]);
  const data = lots.map((lot) => {
    const last = [lot.last_received_ts, lot.last_allocated_ms].filter((v): v is string => v !== null).map(Number);
    return {
      ...lotIdentity(lot),
      expected_bags: lot.expected_bags,
      total_bags_received: lot.received_bags,
      available_bags: lot.available_bags,
      allocated_bags: lot.allocated_bags,
      processed_bags: lot.processed_bags,
      dispatched_bags: lot.dispatched_bags,
      total_gross_weight: kg(dec(lot.total_gross_weight)),
      total_bag_weight: kg(dec(lot.total_bag_weight)),
      total_net_weight: kg(dec(lot.total_net_weight)),
      remaining_weight: kg(dec(lot.remaining_weight)),
      location_distribution: spread
        .filter((row) => row.item_code === lot.item_code && row.created_ts === lot.created_ts)
        .map((row) => ({ location: row.location, bags: row.bags, weight: kg(dec(row.weight)) })),
      first_received_date: iso(lot.first_received_ts),
      last_received_date: iso(lot.last_received_ts),
      last_updated: last.length ? new Date(Math.max(...last)).toISOString() : new Date(Number(lot.created_ts)).toISOString(),
    };
  });
  return {
    success: true,
    data,
    meta: {
      total_items: data.length,
      total_inventory_weight: kg(data.reduce((sum, lot) => sum.plus(lot.total_net_weight), dec(0))),
      total_available_weight: kg(data.reduce((sum, lot) => sum.plus(lot.remaining_weight), dec(0))),
    },
  };
}

/**
 * Flavorsheet states, which the original never defined: DRAFT = no batch yet, IN_PROGRESS =
 * batch open, COMPLETED = batch completed. Nothing cancels a flavorsheet, so CANCELLED is 0.
 */
export async function flavorsheetStats(deps: FeatureDeps) {
  const { rows } = await sql<{ total: number; draft: number; open: number; done: number }>`
    select count(*)::int as total,
           (count(*) filter (where b.item_code is null))::int as draft,
           (count(*) filter (where b.completed = false))::int as open,
           (count(*) filter (where b.completed = true))::int as done
      from flavorsheet f left join flavorsheet_batch b on b.flavorsheet_no = f.flavorsheet_no`.execute(deps.db);
  const r = rows[0]!;
  return {
    success: true,
    data: {
      total_flavorsheets: r.total,
      by_status: { DRAFT: r.draft, IN_PROGRESS: r.open, COMPLETED: r.done, CANCELLED: 0 },
      active_batches: r.open,
      pending_batches: r.draft,
      completion_rate: percent(r.done, r.total),
    },
    meta: {},
  };
}

export async function flavorsheetComposition(deps: FeatureDeps, flavorsheetNo: string) {
  const sheet = await deps.db.selectFrom('flavorsheet').selectAll().where('flavorsheet_no', '=', flavorsheetNo).executeTakeFirst();
  if (!sheet) throw ProcessingError.FLAVORSHEET_NOT_FOUND(`flavorsheet ${flavorsheetNo} does not exist`);
  const mixtures = await flavorsheetMixtures(deps.db, flavorsheetNo);
  const total = mixtures.reduce((sum, m) => sum.plus(m.weight), dec(0));
  return {
    success: true,
    data: {
      ...sheet,
      mixtures: mixtures.map((m) => ({
        ...m,
        percentage: total.isZero() ? 0 : dec(m.weight).dividedBy(total).times(100).toDecimalPlaces(2).toNumber(),
      })),
      total_weight: kg(total),
    },
    meta: {},
  };
}

export async function herblineAnalytics(deps: FeatureDeps) {
  const { rows } = await sql<{ total_items: number; total_weight: string; unique_item_names: number; items_with_records: number }>`
    select count(*)::int as total_items, coalesce(sum(h.weight), 0) as total_weight, count(distinct h.item_name)::int as unique_item_names,
           (count(*) filter (where exists (select 1 from herbline_record r where r.item_code = h.item_code and r.created_ts = h.created_ts)))::int as items_with_records
      from herbline h`.execute(deps.db);
  const r = rows[0]!;
  return {
    success: true,
    data: {
      total_items: r.total_items,
      total_weight: kg(dec(r.total_weight)),
      unique_item_names: r.unique_item_names,
      items_with_records: r.items_with_records,
      average_weight_per_item: r.total_items === 0 ? '0.00' : kg(dec(r.total_weight).dividedBy(r.total_items).toDecimalPlaces(2)),
      completion_rate: percent(r.items_with_records, r.total_items),
    },
    meta: {},
  };
}

export async function blendsheetSummaries(deps: FeatureDeps) {
  const data = (await blendsheetSummary(deps.db)).map((row) => ({
    ...row,
    blendsheet_weight: kg(dec(row.blendsheet_weight)),
    blend_in_weight: kg(dec(row.blend_in_weight)),
    blend_out_weight: kg(dec(row.blend_out_weight)),
    blend_in_timestamp: row.blend_in_timestamp === null ? null : Number(row.blend_in_timestamp),
    blend_out_timestamp: row.blend_out_timestamp === null ? null : Number(row.blend_out_timestamp),
  }));
  return { success: true, data, meta: { total_items: data.length } };
}

export type SearchScope = 'admin-flavorsheet' | 'flavorsheet' | 'flavorsheet-batch' | 'admin-herbline' | 'herbline';

/** Case-insensitive substring search, on the server, over the fields a person would type. */
export async function search(deps: FeatureDeps, scope: SearchScope, term: string) {
  const like = likePattern(term);
  const db = deps.db;
  let data: unknown[];
  switch (scope) {
    case 'admin-flavorsheet':
    case 'flavorsheet': {
      const { rows } = await sql<{ flavorsheet_no: string; flavor_code: string; remarks: string; batch_created: boolean }>`
        select f.flavorsheet_no, f.flavor_code, f.remarks, exists (select 1 from flavorsheet_batch b where b.flavorsheet_no = f.flavorsheet_no) as batch_created
          from flavorsheet f
         where (f.flavorsheet_no ilike ${like} or f.flavor_code ilike ${like} or f.remarks ilike ${like})
           ${scope === 'flavorsheet' ? sql`and not exists (select 1 from flavorsheet_batch b where b.flavorsheet_no = f.flavorsheet_no)` : sql``}
         order by f.flavorsheet_no`.execute(db);
      data = scope === 'flavorsheet' ? rows.map(({ flavorsheet_no, flavor_code }) => ({ flavorsheet_no, flavor_code })) : rows;
      break;
    }
    case 'flavorsheet-batch': {
      const { rows } = await sql<{ item_code: string; created_ts: string; flavorsheet_no: string; remarks: string }>`
        select b.item_code, b.created_ts, b.flavorsheet_no, f.remarks from flavorsheet_batch b join flavorsheet f using (flavorsheet_no)
         where b.completed = false and (b.item_code ilike ${like} or b.flavorsheet_no ilike ${like} or f.flavor_code ilike ${like})
         order by b.created_ts, b.item_code`.execute(db);
      data = rows.map((row) => ({ ...row, created_ts: Number(row.created_ts) }));
      break;
    }
    case 'admin-herbline':
    case 'herbline': {
      const { rows } = await sql<{
        item_code: string;
        created_ts: string;
        item_name: string;
        purchase_order: string | null;
        weight: string | null;
      }>`
        select item_code, created_ts, item_name, purchase_order, weight from herbline
         where item_code ilike ${like} or item_name ilike ${like} or coalesce(purchase_order, '') ilike ${like}
         order by created_ts desc, item_code`.execute(db);
      data = rows.map((row) => ({ ...row, created_ts: Number(row.created_ts) }));
      break;
    }
  }
  return { success: true, data, meta: { total_items: data.length, search: term } };
}

export async function blendsheetPage(deps: FeatureDeps, page: number, limit: number) {
  const created = sql<number>`(select count(*)::int from blendsheet_batch b where b.blendsheet_no = s.blendsheet_no)`;
  const [rows, total] = await Promise.all([
    deps.db
      .selectFrom('blendsheet as s')
      .select(['s.blendsheet_no', 's.standard', 's.no_of_batches', created.as('created_batches')])
      .orderBy('s.blendsheet_no')
      .limit(limit)
      .offset((page - 1) * limit)
      .execute(),
    deps.db
      .selectFrom('blendsheet')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { success: true, data: rows, pagination: { page, limit, total: total.n, total_pages: Math.ceil(total.n / limit) } };
}

/**
 * The console's pipeline dashboard: lots registered, batches made but not yet measured (QC),
 * and batches waiting for a trader's decision.
 */
export async function pipelineCounts(deps: FeatureDeps): Promise<ProcessingPipelineCounts> {
  const counts = await pipelineStageCounts(deps.db);
  return { lotsReceived: counts.lots, batchesInQc: counts.inQc, traderPending: counts.traderPending };
}
