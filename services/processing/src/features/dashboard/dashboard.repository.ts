import { sql, type Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';

/** `%`, `_` and `\` in a search term are literal characters, not patterns. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface TealineLotStats {
  item_code: string;
  created_ts: string;
  broker: string | null;
  garden: string | null;
  grade: string | null;
  purchase_order: string | null;
  expected_bags: number;
  received_bags: number;
  primary_location: string | null;
  total_gross_weight: string;
  total_bag_weight: string;
  total_net_weight: string;
  remaining_weight: string;
  available_bags: number;
  allocated_bags: number;
  processed_bags: number;
  dispatched_bags: number;
  first_received_ts: string | null;
  last_received_ts: string | null;
  last_allocated_ms: string | null;
}

/**
 * Per tealine lot: bag counts by effective status (as /app/scan derives it), weights, the most
 * used location. One query; the per-bag consumption comes from tealine_consumed().
 */
export async function tealineLotStats(db: Kysely<ProcessingDb>, filter: { broker?: string; garden?: string }): Promise<TealineLotStats[]> {
  const where = [sql`true`];
  if (filter.broker) where.push(sql`lower(t.broker) = lower(${filter.broker})`);
  if (filter.garden) where.push(sql`lower(t.garden) = lower(${filter.garden})`);
  const { rows } = await sql<TealineLotStats>`
    with used as (
      select r.*, r.gross_weight - r.bag_weight as net, tealine_consumed(r.barcode) as consumed,
             (select max(a.allocated_at) from (select allocated_at from tealine_allocate_shipment s where s.barcode = r.barcode
                                               union all select allocated_at from tealine_allocate_blendsheet b where b.barcode = r.barcode) a) as last_allocated
        from tealine_record r
    ), bags as (
      -- The effective status, as /app/scan derives it: the later of stored and allocation-implied.
      select u.*, case when u.status = 'DISPATCHED' then 'DISPATCHED'
                       when u.status = 'PROCESSED' or u.consumed >= u.net then 'PROCESSED'
                       when u.status = 'IN_PROCESS' or u.consumed > 0 then 'IN_PROCESS'
                       else 'ACCEPTED' end as effective
        from used u
    )
    select t.item_code, t.created_ts, t.broker, t.garden, t.grade, t.purchase_order, t.no_of_bags as expected_bags,
           count(b.barcode)::int as received_bags,
           (select b2.store_location from tealine_record b2 where b2.item_code = t.item_code and b2.created_ts = t.created_ts
             group by b2.store_location order by count(*) desc, b2.store_location limit 1) as primary_location,
           coalesce(sum(b.gross_weight), 0) as total_gross_weight,
           coalesce(sum(b.bag_weight), 0) as total_bag_weight,
           coalesce(sum(b.net), 0) as total_net_weight,
           coalesce(sum(b.net - b.consumed) filter (where b.effective <> 'DISPATCHED'), 0) as remaining_weight,
           (count(*) filter (where b.effective = 'ACCEPTED'))::int as available_bags,
           (count(*) filter (where b.effective = 'IN_PROCESS'))::int as allocated_bags,
           (count(*) filter (where b.effective = 'PROCESSED'))::int as processed_bags,
           (count(*) filter (where b.effective = 'DISPATCHED'))::int as dispatched_bags,
           min(b.received_ts) as first_received_ts,
           max(b.received_ts) as last_received_ts,
           (extract(epoch from max(b.last_allocated)) * 1000)::bigint as last_allocated_ms
      from tealine t
      left join bags b on b.item_code = t.item_code and b.created_ts = t.created_ts
     where ${sql.join(where, sql` and `)}
     group by t.item_code, t.created_ts, t.broker, t.garden, t.grade, t.purchase_order, t.no_of_bags
     order by t.created_ts, t.item_code`.execute(db);
  return rows;
}

export async function locationDistribution(
  db: Kysely<ProcessingDb>,
): Promise<{ item_code: string; created_ts: string; location: string; bags: number; weight: string }[]> {
  const { rows } = await sql<{ item_code: string; created_ts: string; location: string; bags: number; weight: string }>`
    select item_code, created_ts, store_location as location, count(*)::int as bags, sum(gross_weight - bag_weight) as weight
      from tealine_record group by item_code, created_ts, store_location order by item_code, created_ts, store_location`.execute(db);
  return rows;
}

export async function blendsheetSummary(db: Kysely<ProcessingDb>) {
  const { rows } = await sql<{
    blendsheet_no: string;
    number_of_batches: number;
    blendsheet_weight: string;
    blend_in_weight: string;
    blend_out_weight: string;
    blend_in_timestamp: string | null;
    blend_out_timestamp: string | null;
  }>`
    with ins as (
      select b.blendsheet_no, a.amount, a.allocated_at from blendsheet_batch b
        join tealine_allocate_blendsheet a on a.item_code = b.item_code and a.created_ts = b.created_ts
      union all
      select b.blendsheet_no, a.amount, a.allocated_at from blendsheet_batch b
        join blendbalance_allocate_blendsheet a on a.item_code = b.item_code and a.created_ts = b.created_ts
    ), outs as (
      select b.blendsheet_no, r.gross_weight - r.bag_weight as net, r.received_ts from blendsheet_batch b
        join blendsheet_record r on r.item_code = b.item_code and r.created_ts = b.created_ts
    )
    select s.blendsheet_no,
           (select count(*)::int from blendsheet_batch b where b.blendsheet_no = s.blendsheet_no) as number_of_batches,
           s.total as blendsheet_weight,
           coalesce((select sum(amount) from ins where ins.blendsheet_no = s.blendsheet_no), 0) as blend_in_weight,
           coalesce((select sum(net) from outs where outs.blendsheet_no = s.blendsheet_no), 0) as blend_out_weight,
           (select (extract(epoch from min(allocated_at)) * 1000)::bigint from ins where ins.blendsheet_no = s.blendsheet_no) as blend_in_timestamp,
           (select max(received_ts) from outs where outs.blendsheet_no = s.blendsheet_no) as blend_out_timestamp
      from blendsheet s order by s.blendsheet_no`.execute(db);
  return rows;
}

/** The pipeline stages this service holds, counted in one round trip. */
export async function pipelineStageCounts(db: Kysely<ProcessingDb>): Promise<{ lots: number; inQc: number; traderPending: number }> {
  const { rows } = await sql<{ lots: string | number; in_qc: string | number; trader_pending: string | number }>`
    select (select count(*) from tealine) + (select count(*) from herbline) + (select count(*) from blendbalance) as lots,
           (select count(*) from blendsheet_batch where completed and trader_status is null) as in_qc,
           (select count(*) from blendsheet_batch
             where trader_status in ('TRADER_PENDING', 'TRADER_REQUESTED', 'TRADER_ELEVATED')) as trader_pending
  `.execute(db);
  const row = rows[0]!;
  return { lots: Number(row.lots), inQc: Number(row.in_qc), traderPending: Number(row.trader_pending) };
}
