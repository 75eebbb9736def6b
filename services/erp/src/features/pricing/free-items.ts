import { type Decimal, dec } from '@tributary/platform/core';
import { show } from '../../shared/numbers.js';
import type { PricingRule } from './rule-model.js';

/** A line of free goods a product-discount rule adds to the order. */
export interface FreeItemQuote {
  /** The order line whose quantity earned it. */
  for_line: number;
  rule: string;
  rule_code: string;
  item_code: string;
  /** Negative on a return: the free goods come back with the goods that earned them. */
  qty: string;
  rate: string;
  amount: string;
}

/**
 * ERPNext's free quantity: `free_qty` once; recursive rules give `free_qty` per `recurse_for`
 * units above `apply_recursion_over`, pro rata, or whole multiples only when `round_free_qty`
 * (buy 2 get 1: 5 bought gives 2 free). Nothing when no unit lies above the threshold.
 */
export function freeQuantity(rule: PricingRule, qty: Decimal): Decimal {
  const freeQty = dec(rule.free_qty ?? '0').isZero() ? dec(1) : dec(rule.free_qty ?? '1');
  if (!rule.is_recursive) return freeQty;
  const recurseFor = dec(rule.recurse_for ?? '0');
  const counted = qty.minus(rule.apply_recursion_over ?? '0');
  if (recurseFor.lte(0) || counted.lte(0)) return dec(0);
  if (rule.round_free_qty) return counted.dividedToIntegerBy(recurseFor).times(freeQty);
  return counted.times(freeQty).dividedBy(recurseFor);
}

export function freeItemOf(
  rule: PricingRule,
  line: { line: number; item_code: string },
  qty: Decimal,
  sign: 1 | -1,
  places: number,
): FreeItemQuote | null {
  const free = freeQuantity(rule, qty);
  if (free.lte(0)) return null;
  return {
    for_line: line.line,
    rule: rule.name,
    rule_code: rule.rule_code,
    item_code: rule.free_item ?? line.item_code,
    qty: show(free.times(sign)),
    rate: '0',
    amount: dec(0).toFixed(places),
  };
}
