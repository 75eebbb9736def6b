import { Decimal, dec } from '@tributary/platform/core';
import type { LocalParts } from '../../shared/dates.js';
import { show } from '../../shared/numbers.js';
import { comparePrecedence, type PricingRule, type Slab } from './rule-model.js';
import { withinWindows } from './windows.js';

/**
 * The one pricing evaluator. Pure: rules and facts in, per-line quotes out. Every path that
 * prices (quotes, order calculation, the benchmark) goes through `evaluateOrder`.
 *
 * Per line, the applicable rules are walked in precedence order (see comparePrecedence) and
 * each applies by its own stacking policy:
 *   Exclusive — applies only when it is the first rule to apply, and then stops the walk;
 *               after another rule has applied it is skipped.
 *   Additive  — its discount is measured on the base price (discounts add up).
 *   Compound  — its discount is measured on the running price left by the rules before it.
 * A rule never raises a price and never takes it below zero; its cap (max_discount_amount)
 * limits its discount on the line; its rounding (round_to_nearest) rounds the unit price
 * right after it. Amounts are exact decimals; the line's final amount is rounded once, at the
 * end, to the currency's decimals (half up).
 */
export interface PricingCustomer {
  name: string;
  customer_group: string | null;
  territories: string[];
  segments: { name: string; code: string }[];
}

export interface PricingLine {
  line: number;
  item_code: string;
  item_group: string | null;
  brand: string | null;
  qty: string;
  base_rate: string;
  warehouse: string | null;
  known_item: boolean;
}

export interface EvaluationContext {
  at: number;
  local: LocalParts;
  customer: PricingCustomer | null;
  price_list: string | null;
  coupons: readonly string[];
  currency_decimals: number;
}

export interface AppliedRule {
  rule: string;
  rule_code: string;
  rule_name: string;
  priority: number;
  stacking: string;
  basis: 'base' | 'running';
  discount_amount: string;
  rate_after: string;
  detail: string;
  coupon_code: string | null;
}

export interface LineQuote {
  line: number;
  item_code: string;
  qty: string;
  warehouse: string | null;
  unknown_item: boolean;
  base_rate: string;
  base_amount: string;
  discount_amount: string;
  discount_percentage: string;
  final_rate: string;
  final_amount: string;
  pricing_rules_applied: AppliedRule[];
  pricing_rules_skipped: { rule_code: string; reason: string }[];
}

export interface OrderQuote {
  lines: LineQuote[];
  totalBeforeDiscount: string;
  totalDiscount: string;
  totalAfterDiscount: string;
  coupons_applied: string[];
}

function appliesToCustomer(rule: PricingRule, customer: PricingCustomer | null): boolean {
  const value = rule.applicable_for_value;
  switch (rule.applicable_for) {
    case 'All Customers':
      return true;
    case 'Customer':
      return customer !== null && customer.name === value;
    case 'Customer Group':
      return customer !== null && customer.customer_group !== null && customer.customer_group === value;
    case 'Customer Segment':
      return customer !== null && customer.segments.some((s) => s.name === value || s.code === value);
    case 'Territory':
      return customer !== null && value !== null && customer.territories.includes(value);
  }
}

function appliesToItem(rule: PricingRule, line: PricingLine): boolean {
  switch (rule.apply_on) {
    case 'All Items':
      return true;
    case 'Item Code':
      return rule.items.includes(line.item_code);
    case 'Item Group':
      return line.item_group !== null && line.item_group === rule.apply_on_value;
    case 'Brand':
      return line.brand !== null && line.brand === rule.apply_on_value;
  }
}

/** Bounds set to zero or null are "no bound", as documented. */
function withinBounds(value: Decimal, min: string, max: string | null): boolean {
  if (!dec(min).isZero() && value.lessThan(min)) return false;
  if (max !== null && !dec(max).isZero() && value.greaterThan(max)) return false;
  return true;
}

/** Conditions that do not depend on the line: active, windows, customer, price list, coupon. */
export function appliesToOrder(rule: PricingRule, ctx: EvaluationContext): boolean {
  if (!rule.is_active || !withinWindows(rule, ctx.at, ctx.local)) return false;
  if (!appliesToCustomer(rule, ctx.customer)) return false;
  if (rule.for_price_list !== null && rule.for_price_list !== ctx.price_list) return false;
  if (rule.requires_coupon) {
    if (rule.coupon_code === null || !ctx.coupons.includes(rule.coupon_code)) return false;
    if (rule.usage_limit !== null && rule.used_count >= rule.usage_limit) return false;
  }
  return true;
}

function appliesToLine(rule: PricingRule, line: PricingLine, qty: Decimal, baseAmount: Decimal): boolean {
  if (!appliesToItem(rule, line)) return false;
  if (rule.warehouse !== null && rule.warehouse !== line.warehouse) return false;
  return withinBounds(qty, rule.min_qty, rule.max_qty) && withinBounds(baseAmount, rule.min_amount, rule.max_amount);
}

/** Discount per unit a slab gives on a reference unit price. */
function slabUnitDiscount(slab: Slab, price: Decimal): Decimal {
  switch (slab.discount_type) {
    case 'Percentage':
      return price.times(slab.discount_percentage).dividedBy(100);
    case 'Fixed Amount':
      return Decimal.min(dec(slab.discount_amount), price);
    case 'Fixed Rate':
      return Decimal.max(price.minus(slab.discounted_rate), 0);
  }
}

/**
 * Slabs are written in units, like "1–10, 11–50, 51+": a slab covers the quantity range
 * (min − 1, max], so 10 is in the first, 10.5 and 11 in the second, and decimal quantities fall
 * in no gap. "Whole Quantity" prices every unit at the slab the whole quantity falls in;
 * "Cumulative" prices each band's units at that band's slab.
 */
function tierDiscount(rule: PricingRule, qty: Decimal, price: Decimal): { discount: Decimal; detail: string } | null {
  const slabs = [...rule.slabs].sort((a, b) => dec(a.min_quantity).comparedTo(b.min_quantity));
  if (rule.tier_mode === 'Whole Quantity') {
    const slab = slabs.find(
      (s) => qty.greaterThan(dec(s.min_quantity).minus(1)) && (s.max_quantity === null || qty.lessThanOrEqualTo(s.max_quantity)),
    );
    if (!slab) return null;
    return { discount: slabUnitDiscount(slab, price).times(qty), detail: `slab ${slab.slab_name} on all ${show(qty)}` };
  }
  let discount = dec(0);
  const parts: string[] = [];
  for (const slab of slabs) {
    const upper = slab.max_quantity === null ? qty : Decimal.min(qty, slab.max_quantity);
    const band = upper.minus(dec(slab.min_quantity).minus(1));
    if (band.lte(0)) continue;
    discount = discount.plus(slabUnitDiscount(slab, price).times(band));
    parts.push(`${show(band)} in ${slab.slab_name}`);
  }
  return parts.length === 0 ? null : { discount, detail: `bands: ${parts.join(', ')}` };
}

function ruleDiscount(rule: PricingRule, qty: Decimal, price: Decimal): { discount: Decimal; detail: string } | null {
  if (rule.tier_mode !== null && rule.slabs.length > 0) return tierDiscount(rule, qty, price);
  switch (rule.rate_or_discount) {
    case 'Rate':
      return { discount: Decimal.max(price.minus(rule.rate), 0).times(qty), detail: `rate ${show(rule.rate)}` };
    case 'Discount Percentage':
      return { discount: price.times(rule.discount_percentage).dividedBy(100).times(qty), detail: `${show(rule.discount_percentage)}%` };
    case 'Discount Amount':
      return { discount: Decimal.min(dec(rule.discount_amount), price).times(qty), detail: `${show(rule.discount_amount)} off per unit` };
  }
}

export function evaluateLine(sortedRules: readonly PricingRule[], line: PricingLine, ctx: EvaluationContext): LineQuote {
  const qty = dec(line.qty);
  const baseRate = dec(line.base_rate);
  const baseAmount = baseRate.times(qty);
  let running = baseAmount;
  const applied: AppliedRule[] = [];
  const skipped: { rule_code: string; reason: string }[] = [];
  let exclusive: string | undefined;
  for (const rule of sortedRules) {
    if (!appliesToLine(rule, line, qty, baseAmount)) continue;
    if (exclusive !== undefined) {
      skipped.push({ rule_code: rule.rule_code, reason: `exclusive rule ${exclusive} applied` });
      continue;
    }
    if (rule.stacking === 'Exclusive' && applied.length > 0) {
      skipped.push({ rule_code: rule.rule_code, reason: 'exclusive, but higher-precedence rules already applied' });
      continue;
    }
    const basis = rule.stacking === 'Additive' ? 'base' : 'running';
    const reference = basis === 'base' || qty.isZero() ? baseRate : running.dividedBy(qty);
    const effect = ruleDiscount(rule, qty, reference);
    if (effect === null) continue;
    let discount = effect.discount;
    if (rule.max_discount_amount !== null) discount = Decimal.min(discount, rule.max_discount_amount);
    discount = Decimal.min(discount, running);
    const before = running;
    running = running.minus(discount);
    if (rule.round_to_nearest !== null && !dec(rule.round_to_nearest).isZero() && !qty.isZero()) {
      const step = dec(rule.round_to_nearest);
      const unit = running.dividedBy(qty).dividedBy(step).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(step);
      running = Decimal.min(Decimal.max(unit.times(qty), 0), before);
    }
    applied.push({
      rule: rule.name,
      rule_code: rule.rule_code,
      rule_name: rule.rule_name,
      priority: rule.priority,
      stacking: rule.stacking,
      basis,
      discount_amount: show(before.minus(running)),
      rate_after: show(qty.isZero() ? running : running.dividedBy(qty)),
      detail: effect.detail,
      coupon_code: rule.requires_coupon ? rule.coupon_code : null,
    });
    if (rule.stacking === 'Exclusive') exclusive = rule.rule_code;
  }
  const places = ctx.currency_decimals;
  const base = baseAmount.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  const final = running.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  const discountTotal = base.minus(final);
  return {
    line: line.line,
    item_code: line.item_code,
    qty: show(qty),
    warehouse: line.warehouse,
    unknown_item: !line.known_item,
    base_rate: show(baseRate),
    base_amount: base.toFixed(places),
    discount_amount: discountTotal.toFixed(places),
    discount_percentage: base.isZero() ? '0' : show(discountTotal.dividedBy(base).times(100).toDecimalPlaces(3, Decimal.ROUND_HALF_UP)),
    final_rate: show(qty.isZero() ? final : final.dividedBy(qty)),
    final_amount: final.toFixed(places),
    pricing_rules_applied: applied,
    pricing_rules_skipped: skipped,
  };
}

export function evaluateOrder(rules: readonly PricingRule[], ctx: EvaluationContext, lines: readonly PricingLine[]): OrderQuote {
  const eligible = rules.filter((rule) => appliesToOrder(rule, ctx)).sort(comparePrecedence);
  const quotes = lines.map((line) => evaluateLine(eligible, line, ctx));
  const sum = (pick: (q: LineQuote) => string) => quotes.reduce((s, q) => s.plus(pick(q)), dec(0)).toFixed(ctx.currency_decimals);
  const coupons = new Set<string>();
  for (const quote of quotes) for (const rule of quote.pricing_rules_applied) if (rule.coupon_code) coupons.add(rule.coupon_code);
  return {
    lines: quotes,
    totalBeforeDiscount: sum((q) => q.base_amount),
    totalDiscount: sum((q) => q.discount_amount),
    totalAfterDiscount: sum((q) => q.final_amount),
    coupons_applied: [...coupons].sort(),
  };
}
