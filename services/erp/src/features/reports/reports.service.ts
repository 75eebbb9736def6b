import { Decimal, dec } from '@tributary/platform/core';
import type { Static } from '@sinclair/typebox';
import { ErpError } from '../../errors.js';
import type { ErpDeps } from '../../shared/context.js';
import { addDays, daysBetween, localParts, startOfLocalDay } from '../../shared/dates.js';
import { show } from '../../shared/numbers.js';
import { orderLinesBetween, ruleImpactBetween, ruleTotalsBetween } from './reports.repository.js';
import type { EffectivenessReport, ReportQuery, SegmentRevenueReport } from './reports.schemas.js';

type Deps = Pick<ErpDeps, 'db' | 'config'>;
type Query = Static<typeof ReportQuery>;
const MAX_DAYS = 366;
const SEGMENT_SOURCE =
  'processed order lines (POST /orders/process, cancelled orders left out); rule_lines and rule_discount from the pricing rule application log of those orders';
const RULES_SOURCE = 'pricing rule application log (lines priced by POST /pricing/calculate without dry_run, or by POST /orders/process)';
const NO_SEGMENT = '(none)';

interface Period {
  from: string;
  to: string;
  time_zone: string;
  source: string;
  start: number;
  end: number;
}

/** Plant-local days, both inclusive: [start of `from`, start of the day after `to`). */
function periodOf(deps: Deps, query: Query, source: string): Period {
  if (query.to < query.from) throw ErpError.REPORT_RANGE_INVALID('to must not be before from');
  if (daysBetween(query.from, query.to) >= MAX_DAYS) throw ErpError.REPORT_RANGE_INVALID(`a report covers at most ${MAX_DAYS} days`);
  const tz = deps.config.PLANT_TIME_ZONE;
  return {
    from: query.from,
    to: query.to,
    time_zone: tz,
    source,
    start: startOfLocalDay(query.from, tz),
    end: startOfLocalDay(addDays(query.to, 1), tz),
  };
}

/**
 * Monthly revenue per segment from every line of the processed orders (cancelled ones left
 * out), in the primary segment the order was priced under. The rule_* columns say how much of
 * that the pricing rules took off, from the application log of the same orders.
 */
export async function segmentRevenue(deps: Deps, query: Query): Promise<Static<typeof SegmentRevenueReport>> {
  const period = periodOf(deps, query, SEGMENT_SOURCE);
  const lines = await orderLinesBetween(deps.db, period.start, period.end);
  const impact = new Map(
    (await ruleImpactBetween(deps.db, period.start, period.end)).map((r) => [`${r.order}\u0000${Number(r.line_no)}`, r]),
  );
  const empty = () => ({ orders: new Set<string>(), lines: 0, revenue: dec(0), discount: dec(0), ruleLines: 0, ruleDiscount: dec(0) });
  const groups = new Map<string, { month: string; segment: string; code: string } & ReturnType<typeof empty>>();
  const totals = empty();
  for (const line of lines) {
    const month = localParts(line.order_date.getTime(), period.time_zone).date.slice(0, 7);
    const segment = line.segment ?? NO_SEGMENT;
    const key = `${month}\u0000${segment}`;
    const group = groups.get(key) ?? { month, segment, code: line.segment_code ?? NO_SEGMENT, ...empty() };
    const touched = impact.get(`${line.order}\u0000${line.line_no}`);
    for (const sum of [group, totals]) {
      sum.orders.add(line.order);
      sum.lines += 1;
      sum.revenue = sum.revenue.plus(line.final_amount);
      sum.discount = sum.discount.plus(line.discount_amount);
      if (touched) {
        sum.ruleLines += 1;
        sum.ruleDiscount = sum.ruleDiscount.plus(touched.discount ?? '0');
      }
    }
    groups.set(key, group);
  }
  const figures = (g: ReturnType<typeof empty>) => ({
    orders: g.orders.size,
    lines: g.lines,
    revenue: show(g.revenue),
    discount: show(g.discount),
    rule_lines: g.ruleLines,
    rule_discount: show(g.ruleDiscount),
  });
  const rows = [...groups.values()]
    .sort((a, b) => (a.month === b.month ? (a.segment < b.segment ? -1 : 1) : a.month < b.month ? -1 : 1))
    .map((g) => ({ month: g.month, segment: g.segment, segment_code: g.code, ...figures(g) }));
  const { start: _start, end: _end, ...shown } = period;
  return { ...shown, rows, totals: figures(totals) };
}

export async function pricingEffectiveness(deps: Deps, query: Query): Promise<Static<typeof EffectivenessReport>> {
  const period = periodOf(deps, query, RULES_SOURCE);
  const totals = await ruleTotalsBetween(deps.db, period.start, period.end);
  const rows = totals.map((row) => {
    const applications = Number(row.applications);
    const discount = dec(row.discount ?? '0');
    const revenue = dec(row.revenue ?? '0');
    const gross = revenue.plus(discount);
    return {
      rule: row.pricing_rule,
      rule_code: row.rule_code,
      rule_name: row.rule_name,
      applications,
      orders: Number(row.orders),
      total_discount: show(discount),
      revenue_affected: show(revenue),
      discount_per_application: show(applications === 0 ? dec(0) : discount.dividedBy(applications)),
      discount_share: gross.isZero() ? '0' : show(discount.dividedBy(gross).times(100).toDecimalPlaces(3, Decimal.ROUND_HALF_UP)),
    };
  });
  const { start: _start, end: _end, ...shown } = period;
  return {
    ...shown,
    rows,
    totals: {
      applications: rows.reduce((sum, r) => sum + r.applications, 0),
      total_discount: show(rows.reduce((sum, r) => sum.plus(r.total_discount), dec(0))),
      revenue_affected: show(rows.reduce((sum, r) => sum.plus(r.revenue_affected), dec(0))),
    },
  };
}
