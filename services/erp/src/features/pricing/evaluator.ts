import { Decimal, dec } from '@tributary/platform/core';
import type { LocalParts } from '../../shared/dates.js';
import { show } from '../../shared/numbers.js';
import { marginPerUnit, selectRules } from './erpnext-selection.js';
import { type FreeItemQuote, freeItemOf } from './free-items.js';
import { parsed } from './parsed.js';
import { lineQualifies, unitScale } from './line-conditions.js';
import { resolveOtherLineRules } from './other-line.js';
import { indexByItemScope } from './rule-index.js';
import { comparePrecedence, type PricingRule, type RuleSelection, type Slab } from './rule-model.js';
import { withinWindows } from './windows.js';

export type { FreeItemQuote };

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
 *
 * ERPNext's extended model (ADR 0308) rides on the same walk: margins raise the price list rate
 * before it, product-discount rules add free-goods lines beside it, rules tied to a UoM or a
 * currency meet only such lines and orders, `apply_rule_on_other` rules are resolved per order
 * first, `ignore_pricing_rule` empties it, a return is priced on the quantity returned with
 * every amount negated, and `rule_selection: 'erpnext'` picks the rules ERPNext would.
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
  /** The unit the line is sold in (null: the stock UoM). */
  uom?: string | null;
  /** Line units per stock unit; base_rate is already per line unit. */
  conversion_factor?: string;
  /** No rule prices this line (ERPNext's per-line flag). */
  ignore_pricing_rule?: boolean;
}

export interface EvaluationContext {
  at: number;
  local: LocalParts;
  customer: PricingCustomer | null;
  price_list: string | null;
  coupons: readonly string[];
  currency_decimals: number;
  /** The order's currency; a rule tied to a currency applies only to orders in it. */
  currency?: string | null;
  /** No rule prices any line (ERPNext's document flag). */
  ignore_pricing_rule?: boolean;
  /** A return: every line is a quantity coming back, priced by the same rules, amounts negative. */
  is_return?: boolean;
  /** Which applicable rules take part; `stacking` (ADR 0301) when absent. */
  rule_selection?: RuleSelection;
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
  /** base_rate plus the margins of the rules that apply (equal to it without margins). */
  rate_with_margin: string;
  /** Before discounts: rate_with_margin × qty. */
  base_amount: string;
  discount_amount: string;
  discount_percentage: string;
  final_rate: string;
  final_amount: string;
  pricing_rules_applied: AppliedRule[];
  pricing_rules_skipped: { rule_code: string; reason: string }[];
  free_items: FreeItemQuote[];
}

export interface OrderQuote {
  lines: LineQuote[];
  /** Every line's free goods, in line order. */
  free_items: FreeItemQuote[];
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

/** Conditions that do not depend on the line: active, windows, customer, price list, coupon. */
export function appliesToOrder(rule: PricingRule, ctx: EvaluationContext): boolean {
  if (!rule.is_active || !withinWindows(rule, ctx.at, ctx.local)) return false;
  if (!appliesToCustomer(rule, ctx.customer)) return false;
  if (rule.for_price_list !== null && rule.for_price_list !== ctx.price_list) return false;
  if (rule.currency && rule.currency !== (ctx.currency ?? null)) return false;
  if (rule.requires_coupon) {
    if (rule.coupon_code === null || !ctx.coupons.includes(rule.coupon_code)) return false;
    if (rule.usage_limit !== null && rule.used_count >= rule.usage_limit) return false;
  }
  return true;
}

/** Discount per unit a slab gives on a reference unit price. */
function slabUnitDiscount(slab: Slab, price: Decimal): Decimal {
  switch (slab.discount_type) {
    case 'Percentage':
      return price.times(parsed(slab.discount_percentage)).dividedBy(100);
    case 'Fixed Amount':
      return Decimal.min(parsed(slab.discount_amount), price);
    case 'Fixed Rate':
      return Decimal.max(price.minus(parsed(slab.discounted_rate)), 0);
  }
}

/**
 * Slabs are written in units, like "1–10, 11–50, 51+": a slab covers the quantity range
 * (min − 1, max], so 10 is in the first, 10.5 and 11 in the second, and decimal quantities fall
 * in no gap. "Whole Quantity" prices every unit at the slab the whole quantity falls in;
 * "Cumulative" prices each band's units at that band's slab.
 */
function tierDiscount(rule: PricingRule, qty: Decimal, price: Decimal): { discount: Decimal; detail: string } | null {
  const slabs = [...rule.slabs].sort((a, b) => parsed(a.min_quantity).comparedTo(parsed(b.min_quantity)));
  if (rule.tier_mode === 'Whole Quantity') {
    const slab = slabs.find(
      (s) => qty.greaterThan(parsed(s.min_quantity).minus(1)) && (s.max_quantity === null || qty.lessThanOrEqualTo(parsed(s.max_quantity))),
    );
    if (!slab) return null;
    return { discount: slabUnitDiscount(slab, price).times(qty), detail: `slab ${slab.slab_name} on all ${show(qty)}` };
  }
  let discount = dec(0);
  const parts: string[] = [];
  for (const slab of slabs) {
    const upper = slab.max_quantity === null ? qty : Decimal.min(qty, parsed(slab.max_quantity));
    const band = upper.minus(parsed(slab.min_quantity).minus(1));
    if (band.lte(0)) continue;
    discount = discount.plus(slabUnitDiscount(slab, price).times(band));
    parts.push(`${show(band)} in ${slab.slab_name}`);
  }
  return parts.length === 0 ? null : { discount, detail: `bands: ${parts.join(', ')}` };
}

/** `scale` turns the rule's per-unit values into the line's unit (see unitScale). */
function ruleDiscount(rule: PricingRule, qty: Decimal, price: Decimal, scale: Decimal): { discount: Decimal; detail: string } | null {
  if (rule.tier_mode !== null && rule.slabs.length > 0) return tierDiscount(rule, qty, price);
  switch (rule.rate_or_discount) {
    case 'Rate': {
      const rate = parsed(rule.rate).times(scale);
      return { discount: Decimal.max(price.minus(rate), 0).times(qty), detail: `rate ${show(rate)}` };
    }
    case 'Discount Percentage':
      return {
        discount: price.times(parsed(rule.discount_percentage)).dividedBy(100).times(qty),
        detail: `${show(parsed(rule.discount_percentage))}%`,
      };
    case 'Discount Amount': {
      const amount = parsed(rule.discount_amount).times(scale);
      return { discount: Decimal.min(amount, price).times(qty), detail: `${show(amount)} off per unit` };
    }
  }
}

const isProductRule = (rule: PricingRule) => rule.price_or_product_discount === 'Product';

/**
 * Under ERPNext's selection a Rate rule sets the price list rate (it may raise it, and 0
 * leaves the item's own price), as ERPNext's does; the stacking model keeps "a rule never
 * raises a price" and prices a Rate rule as a discount down to it.
 */
function erpnextRateRule(rules: readonly PricingRule[], mode: RuleSelection): PricingRule | undefined {
  if (mode !== 'erpnext') return undefined;
  return rules.find((r) => !isProductRule(r) && r.tier_mode === null && r.rate_or_discount === 'Rate' && parsed(r.rate).gt(0));
}

export function evaluateLine(sortedRules: readonly PricingRule[], line: PricingLine, ctx: EvaluationContext): LineQuote {
  const signed = parsed(line.qty);
  const sign: 1 | -1 = signed.isNegative() || ctx.is_return === true ? -1 : 1;
  const qty = signed.abs();
  const mode = ctx.rule_selection ?? 'stacking';
  const ignored = ctx.ignore_pricing_rule === true || line.ignore_pricing_rule === true;
  const listAmount = parsed(line.base_rate).times(qty);
  const candidates = ignored ? [] : sortedRules.filter((rule) => !rule.apply_rule_on_other && lineQualifies(rule, line, qty, listAmount));
  const { selected, skipped } = selectRules(candidates, mode);
  const rateRule = erpnextRateRule(selected, mode);
  const priceListRate = rateRule ? parsed(rateRule.rate).times(unitScale(rateRule, line)) : parsed(line.base_rate);
  const margins = marginPerUnit(
    selected.filter((rule) => !isProductRule(rule)),
    priceListRate,
  );
  const baseRate = priceListRate.plus(margins.margin);
  const baseAmount = baseRate.times(qty);
  let running = baseAmount;
  const applied: AppliedRule[] = [];
  let exclusive: string | undefined;
  const entry = (rule: PricingRule, basis: 'base' | 'running', discount: Decimal, detail: string): AppliedRule => ({
    rule: rule.name,
    rule_code: rule.rule_code,
    rule_name: rule.rule_name,
    priority: rule.priority,
    stacking: rule.stacking,
    basis,
    discount_amount: show(discount.times(sign)),
    rate_after: show(qty.isZero() ? running : running.dividedBy(qty)),
    detail: [margins.details.get(rule.rule_code), detail].filter((part) => part).join('; '),
    coupon_code: rule.requires_coupon ? rule.coupon_code : null,
  });
  for (const rule of selected) {
    if (isProductRule(rule)) continue;
    if (exclusive !== undefined) {
      skipped.push({ rule_code: rule.rule_code, reason: `exclusive rule ${exclusive} applied` });
      continue;
    }
    if (rule.stacking === 'Exclusive' && applied.length > 0) {
      skipped.push({ rule_code: rule.rule_code, reason: 'exclusive, but higher-precedence rules already applied' });
      continue;
    }
    if (rule === rateRule) {
      applied.push(entry(rule, 'base', dec(0), `price list rate ${show(priceListRate)}`));
      continue;
    }
    const basis = rule.stacking === 'Additive' ? 'base' : 'running';
    const reference = basis === 'base' || qty.isZero() ? baseRate : running.dividedBy(qty);
    // A margin rule's zero discount, and under ERPNext a Rate of 0, leave the price alone.
    const untouched = isZeroDiscount(rule) && (Boolean(rule.margin_type) || mode === 'erpnext');
    const effect = untouched ? { discount: dec(0), detail: '' } : ruleDiscount(rule, qty, reference, unitScale(rule, line));
    if (effect === null) continue;
    let discount = effect.discount;
    if (rule.max_discount_amount !== null) discount = Decimal.min(discount, parsed(rule.max_discount_amount));
    discount = Decimal.min(discount, running);
    const before = running;
    running = running.minus(discount);
    if (rule.round_to_nearest !== null && !parsed(rule.round_to_nearest).isZero() && !qty.isZero()) {
      const step = parsed(rule.round_to_nearest);
      const unit = running.dividedBy(qty).dividedBy(step).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(step);
      running = Decimal.min(Decimal.max(unit.times(qty), 0), before);
    }
    applied.push(entry(rule, basis, before.minus(running), effect.detail));
    if (rule.stacking === 'Exclusive') exclusive = rule.rule_code;
  }
  const places = ctx.currency_decimals;
  const freeItems: FreeItemQuote[] = [];
  for (const rule of selected.filter(isProductRule)) {
    const free = freeItemOf(rule, line, qty, sign, places);
    if (free === null) continue;
    freeItems.push(free);
    applied.push(entry(rule, 'base', dec(0), `free ${show(dec(free.qty).abs())} × ${free.item_code}`));
  }
  const base = baseAmount.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  const final = running.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  const discountTotal = base.minus(final);
  return {
    line: line.line,
    item_code: line.item_code,
    qty: show(qty.times(sign)),
    warehouse: line.warehouse,
    unknown_item: !line.known_item,
    base_rate: show(priceListRate),
    rate_with_margin: show(baseRate),
    base_amount: base.times(sign).toFixed(places),
    discount_amount: discountTotal.times(sign).toFixed(places),
    discount_percentage: base.isZero() ? '0' : show(discountTotal.dividedBy(base).times(100).toDecimalPlaces(3, Decimal.ROUND_HALF_UP)),
    final_rate: show(qty.isZero() ? final : final.dividedBy(qty)),
    final_amount: final.times(sign).toFixed(places),
    pricing_rules_applied: applied,
    pricing_rules_skipped: skipped,
    free_items: freeItems,
  };
}

function isZeroDiscount(rule: PricingRule): boolean {
  if (rule.tier_mode !== null && rule.slabs.length > 0) return false;
  switch (rule.rate_or_discount) {
    case 'Rate':
      return parsed(rule.rate).isZero();
    case 'Discount Percentage':
      return parsed(rule.discount_percentage).isZero();
    case 'Discount Amount':
      return parsed(rule.discount_amount).isZero();
  }
}

export function evaluateOrder(rules: readonly PricingRule[], ctx: EvaluationContext, lines: readonly PricingLine[]): OrderQuote {
  const eligible = resolveOtherLineRules(
    rules.filter((rule) => appliesToOrder(rule, ctx)),
    ctx.ignore_pricing_rule === true ? [] : lines,
  ).sort(comparePrecedence);
  const index = indexByItemScope(eligible);
  const quotes = lines.map((line) => evaluateLine(index.candidatesFor(line), line, ctx));
  const sum = (pick: (q: LineQuote) => string) => quotes.reduce((s, q) => s.plus(pick(q)), dec(0)).toFixed(ctx.currency_decimals);
  const coupons = new Set<string>();
  for (const quote of quotes) for (const rule of quote.pricing_rules_applied) if (rule.coupon_code) coupons.add(rule.coupon_code);
  return {
    lines: quotes,
    free_items: quotes.flatMap((q) => q.free_items),
    totalBeforeDiscount: sum((q) => q.base_amount),
    totalDiscount: sum((q) => q.discount_amount),
    totalAfterDiscount: sum((q) => q.final_amount),
    coupons_applied: [...coupons].sort(),
  };
}
