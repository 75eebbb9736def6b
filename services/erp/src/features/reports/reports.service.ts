import { Decimal, dec } from '@tributary/platform/core';
import type { Static } from '@sinclair/typebox';
import { ErpError } from '../../errors.js';
import type { ErpDeps } from '../../shared/context.js';
import { addDays, daysBetween, isoDate, isoDateOrNull, localParts, startOfLocalDay } from '../../shared/dates.js';
import { show } from '../../shared/numbers.js';
import { inForce } from '../segments/assignments.service.js';
import { type ApplicationRow, type AssignmentRow, applicationsBetween, assignmentsOf, ruleTotalsBetween } from './reports.repository.js';
import type { EffectivenessReport, ReportQuery, SegmentRevenueReport } from './reports.schemas.js';

type Deps = Pick<ErpDeps, 'db' | 'config'>;
type Query = Static<typeof ReportQuery>;
const MAX_DAYS = 366;
const SOURCE = 'pricing rule application log (lines priced by POST /pricing/calculate without dry_run that met at least one rule)';
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
function periodOf(deps: Deps, query: Query): Period {
  if (query.to < query.from) throw ErpError.REPORT_RANGE_INVALID('to must not be before from');
  if (daysBetween(query.from, query.to) >= MAX_DAYS) throw ErpError.REPORT_RANGE_INVALID(`a report covers at most ${MAX_DAYS} days`);
  const tz = deps.config.PLANT_TIME_ZONE;
  return {
    from: query.from,
    to: query.to,
    time_zone: tz,
    source: SOURCE,
    start: startOfLocalDay(query.from, tz),
    end: startOfLocalDay(addDays(query.to, 1), tz),
  };
}

interface PricedLine {
  doc: string;
  customer: string | null;
  at: Date;
  revenue: Decimal;
  discount: Decimal;
}

/**
 * One entry per priced order line. A line that met several rules has one log row per rule
 * (same instant, same line amount): their discounts add up. A document priced again under the
 * same reference logs its lines again, and the latest pricing is the one that counts: a row
 * starts a new pricing of its line when it is later than the one seen, or when its rule was
 * already counted for the line (a rule applies once per line per pricing, which tells two
 * pricings in the same millisecond apart).
 */
function pricedLines(rows: readonly ApplicationRow[]): PricedLine[] {
  const lines = new Map<string, PricedLine & { rules: Set<string> }>();
  for (const row of rows) {
    const doc = `${row.applied_on_doctype}\u0000${row.applied_on_name}`;
    const key = `${doc}\u0000${row.line_no}`;
    const seen = lines.get(key);
    if (seen && seen.at > row.application_date) continue;
    if (seen && seen.at.getTime() === row.application_date.getTime() && !seen.rules.has(row.pricing_rule)) {
      seen.discount = seen.discount.plus(row.discount_amount);
      seen.rules.add(row.pricing_rule);
      continue;
    }
    lines.set(key, {
      doc,
      customer: row.customer,
      at: row.application_date,
      revenue: dec(row.total_amount),
      discount: dec(row.discount_amount),
      rules: new Set([row.pricing_rule]),
    });
  }
  return [...lines.values()];
}

/** The customer's primary segment in force on that plant day (ADR 0303), if any. */
function primarySegment(assignments: readonly AssignmentRow[], day: string): AssignmentRow | undefined {
  return assignments.find(
    (a) => Number(a.is_primary) === 1 && inForce({ from: isoDate(a.effective_from), to: isoDateOrNull(a.effective_to) }, day),
  );
}

export async function segmentRevenue(deps: Deps, query: Query): Promise<Static<typeof SegmentRevenueReport>> {
  const period = periodOf(deps, query);
  const lines = pricedLines(await applicationsBetween(deps.db, period.start, period.end));
  const customers = [...new Set(lines.map((l) => l.customer).filter((c): c is string => c !== null))].sort();
  const byCustomer = new Map<string, AssignmentRow[]>();
  for (const a of await assignmentsOf(deps.db, customers)) byCustomer.set(a.customer, [...(byCustomer.get(a.customer) ?? []), a]);
  const groups = new Map<
    string,
    { month: string; segment: string; code: string; docs: Set<string>; lines: number; revenue: Decimal; discount: Decimal }
  >();
  for (const line of lines) {
    const day = localParts(line.at.getTime(), period.time_zone).date;
    const segment = line.customer === null ? undefined : primarySegment(byCustomer.get(line.customer) ?? [], day);
    const month = day.slice(0, 7);
    const name = segment?.segment ?? NO_SEGMENT;
    const key = `${month}\u0000${name}`;
    const group = groups.get(key) ?? {
      month,
      segment: name,
      code: segment?.segment_code ?? NO_SEGMENT,
      docs: new Set<string>(),
      lines: 0,
      revenue: dec(0),
      discount: dec(0),
    };
    group.docs.add(line.doc);
    group.lines += 1;
    group.revenue = group.revenue.plus(line.revenue);
    group.discount = group.discount.plus(line.discount);
    groups.set(key, group);
  }
  const rows = [...groups.values()]
    .sort((a, b) => (a.month === b.month ? (a.segment < b.segment ? -1 : 1) : a.month < b.month ? -1 : 1))
    .map((g) => ({
      month: g.month,
      segment: g.segment,
      segment_code: g.code,
      orders: g.docs.size,
      lines: g.lines,
      revenue: show(g.revenue),
      discount: show(g.discount),
    }));
  const { start: _start, end: _end, ...shown } = period;
  return {
    ...shown,
    rows,
    totals: {
      orders: new Set(lines.map((l) => l.doc)).size,
      lines: lines.length,
      revenue: show(lines.reduce((sum, l) => sum.plus(l.revenue), dec(0))),
      discount: show(lines.reduce((sum, l) => sum.plus(l.discount), dec(0))),
    },
  };
}

export async function pricingEffectiveness(deps: Deps, query: Query): Promise<Static<typeof EffectivenessReport>> {
  const period = periodOf(deps, query);
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
