import { dec, type Decimal } from '@tributary/platform/core';
import { show } from '../../shared/numbers.js';
import type { EvaluationContext, PricingCustomer } from './evaluator.js';
import { appliesToItem, type LineFacts, unitScale, withinBounds } from './line-conditions.js';
import type { PricingRule } from './rule-model.js';
import { withinFestival, withinSeason, withinTimeOfDay, withinValidity, withinWeekdays } from './windows.js';

/** One condition of a rule, judged for one quote: what was asked, what the quote had, and whether it held. */
export interface RuleCheck {
  check: string;
  passed: boolean;
  detail: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function customerCheck(rule: PricingRule, customer: PricingCustomer | null): RuleCheck {
  const value = rule.applicable_for_value ?? '';
  const check = 'customer';
  if (rule.applicable_for === 'All Customers') return { check, passed: true, detail: 'for all customers' };
  if (customer === null) return { check, passed: false, detail: `for ${rule.applicable_for} ${value}; the quote names no known customer` };
  const has = (() => {
    switch (rule.applicable_for) {
      case 'Customer':
        return { passed: customer.name === value, is: customer.name };
      case 'Customer Group':
        return { passed: customer.customer_group === value, is: customer.customer_group ?? 'none' };
      case 'Customer Segment':
        return {
          passed: customer.segments.some((s) => s.name === value || s.code === value),
          is: customer.segments.map((s) => s.code).join(', ') || 'none',
        };
      case 'Territory':
        return { passed: customer.territories.includes(value), is: customer.territories.join(', ') || 'none' };
    }
  })();
  return { check, passed: has.passed, detail: `for ${rule.applicable_for} ${value}; the quote has ${has.is}` };
}

/**
 * The order-wide conditions, in the words of the evaluator's own predicates (appliesToOrder):
 * each is reported, not only the first that fails, so the desk sees everything a rule asks.
 * Conditions the rule does not set are left out.
 */
export function orderChecks(rule: PricingRule, ctx: EvaluationContext): RuleCheck[] {
  const { local } = ctx;
  const checks: RuleCheck[] = [
    {
      check: 'validity',
      passed: withinValidity(rule, ctx.at),
      detail: `valid from ${iso(rule.valid_from)}${rule.valid_to === null ? '' : ` until ${iso(rule.valid_to)}`}`,
    },
  ];
  if (rule.days_of_week?.length)
    checks.push({
      check: 'weekday',
      passed: withinWeekdays(rule, local),
      detail: `${rule.days_of_week.join(', ')}; the quote is on ${local.weekday}`,
    });
  if (rule.time_from !== null || rule.time_to !== null)
    checks.push({
      check: 'time of day',
      passed: withinTimeOfDay(rule, local),
      detail: `${rule.time_from ?? '00:00:00'} to ${rule.time_to ?? '24:00:00'}; the quote is at ${local.time}`,
    });
  if (rule.season_start !== null && rule.season_end !== null)
    checks.push({
      check: 'season',
      passed: withinSeason(rule, local),
      detail: `${rule.season_start} to ${rule.season_end}; the quote is on ${local.date}`,
    });
  if (rule.festival_from !== null && rule.festival_to !== null)
    checks.push({
      check: 'festival',
      passed: withinFestival(rule, local),
      detail: `${rule.festival_name ?? 'festival'} ${rule.festival_from} to ${rule.festival_to}; the quote is on ${local.date}`,
    });
  checks.push(customerCheck(rule, ctx.customer));
  if (rule.for_price_list !== null)
    checks.push({
      check: 'price list',
      passed: rule.for_price_list === ctx.price_list,
      detail: `price list ${rule.for_price_list}; the quote uses ${ctx.price_list ?? 'none'}`,
    });
  if (rule.currency)
    checks.push({
      check: 'currency',
      passed: rule.currency === (ctx.currency ?? null),
      detail: `${rule.currency}; the quote is in ${ctx.currency ?? 'no named currency'}`,
    });
  if (rule.requires_coupon) {
    const given = rule.coupon_code !== null && ctx.coupons.includes(rule.coupon_code);
    const left = rule.usage_limit === null || rule.used_count < rule.usage_limit;
    checks.push({
      check: 'coupon',
      passed: given && left,
      detail: !given
        ? `needs coupon ${rule.coupon_code ?? ''}, not given`
        : left
          ? `coupon ${rule.coupon_code ?? ''} given`
          : `coupon ${rule.coupon_code ?? ''} used up (${rule.used_count} of ${rule.usage_limit ?? 0})`,
    });
  }
  return checks;
}

function scopeText(rule: PricingRule): string {
  if (rule.apply_on === 'All Items') return 'all items';
  if (rule.apply_on === 'Item Code') return `items ${rule.items.join(', ')}`;
  return `${rule.apply_on} ${rule.apply_on_value ?? ''}`;
}

const bounds = (min: string, max: string | null) =>
  `${dec(min).isZero() ? 'no minimum' : `at least ${show(min)}`}, ${max === null || dec(max).isZero() ? 'no maximum' : `at most ${show(max)}`}`;

/** The line's conditions, as lineQualifies judges them (item scope, warehouse, UoM, quantity and amount bounds). */
export function lineChecks(rule: PricingRule, line: LineFacts, qty: Decimal, amount: Decimal): RuleCheck[] {
  const itemFacts = [line.item_code, line.item_group ?? '', line.brand ?? ''].filter(Boolean).join(', ');
  const checks: RuleCheck[] = [
    { check: 'item', passed: appliesToItem(rule, line), detail: `${scopeText(rule)}; the line is ${itemFacts}` },
  ];
  if (rule.apply_rule_on_other)
    checks.push({
      check: 'other line',
      passed: true,
      detail: `its discount goes to ${rule.other_item_code ?? rule.other_item_group ?? 'another line'} when a line meets it`,
    });
  if (rule.warehouse !== null)
    checks.push({
      check: 'warehouse',
      passed: rule.warehouse === line.warehouse,
      detail: `${rule.warehouse}; the line is from ${line.warehouse ?? 'no warehouse'}`,
    });
  if (rule.uom)
    checks.push({
      check: 'unit',
      passed: rule.uom === (line.uom ?? null),
      detail: `${rule.uom}; the line is in ${line.uom ?? 'stock units'}`,
    });
  const scaled = qty.times(unitScale(rule, line));
  if (!dec(rule.min_qty).isZero() || rule.max_qty !== null)
    checks.push({
      check: 'quantity',
      passed: withinBounds(scaled, rule.min_qty, rule.max_qty),
      detail: `${bounds(rule.min_qty, rule.max_qty)}; the line has ${show(scaled)}`,
    });
  if (!dec(rule.min_amount).isZero() || rule.max_amount !== null)
    checks.push({
      check: 'amount',
      passed: withinBounds(amount, rule.min_amount, rule.max_amount),
      detail: `${bounds(rule.min_amount, rule.max_amount)}; the line comes to ${show(amount)}`,
    });
  return checks;
}
