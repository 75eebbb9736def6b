import type { Decimal } from '@tributary/platform/core';
import { parsed } from './parsed.js';
import type { PricingRule } from './rule-model.js';

/** What a line condition reads: the line's item, place, unit and quantities. */
export interface LineFacts {
  item_code: string;
  item_group: string | null;
  brand: string | null;
  warehouse: string | null;
  uom?: string | null;
  /** Line units per stock unit (a box of 10 has 10); 1 when the line is in the stock UoM. */
  conversion_factor?: string;
}

export function appliesToItem(rule: PricingRule, line: LineFacts): boolean {
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
export function withinBounds(value: Decimal, min: string, max: string | null): boolean {
  const lower = parsed(min);
  if (!lower.isZero() && value.lessThan(lower)) return false;
  if (max === null) return true;
  const upper = parsed(max);
  if (!upper.isZero() && value.greaterThan(upper)) return false;
  return true;
}

export const conversionOf = (line: LineFacts): Decimal => parsed(line.conversion_factor ?? '1');

/**
 * A rule tied to a UoM speaks in that unit; a rule without one speaks in stock units, as in
 * ERPNext: its per-unit values and quantity bounds scale by the line's conversion factor.
 */
export const unitScale = (rule: PricingRule, line: LineFacts): Decimal => (rule.uom ? parsed('1') : conversionOf(line));

/**
 * The rule's own line conditions: item scope, warehouse, UoM, quantity and amount bounds.
 * `qty` is the line's quantity in its own unit and never negative (returns are priced on the
 * quantity returned); `amount` is the line's amount before discounts.
 */
export function lineQualifies(rule: PricingRule, line: LineFacts, qty: Decimal, amount: Decimal): boolean {
  if (!appliesToItem(rule, line)) return false;
  if (rule.warehouse !== null && rule.warehouse !== line.warehouse) return false;
  if (rule.uom && rule.uom !== (line.uom ?? null)) return false;
  const boundedQty = qty.times(unitScale(rule, line));
  return withinBounds(boundedQty, rule.min_qty, rule.max_qty) && withinBounds(amount, rule.min_amount, rule.max_amount);
}
