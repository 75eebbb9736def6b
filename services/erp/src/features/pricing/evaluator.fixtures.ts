import { localParts } from '../../shared/dates.js';
import type { EvaluationContext, PricingLine } from './evaluator.js';
import type { PricingRule } from './rule-model.js';

/** Test fixtures of the pure evaluator: a plain 10% rule, a Tuesday noon in Kolkata, a line of item X. */
export const baseRule: PricingRule = {
  name: 'R',
  rule_code: 'R',
  rule_name: 'R',
  rule_type: 'Promotional',
  priority: 1,
  valid_from: 0,
  valid_to: null,
  is_active: true,
  apply_on: 'All Items',
  apply_on_value: null,
  items: [],
  applicable_for: 'All Customers',
  applicable_for_value: null,
  min_qty: '0',
  max_qty: null,
  min_amount: '0',
  max_amount: null,
  for_price_list: null,
  warehouse: null,
  days_of_week: null,
  time_from: null,
  time_to: null,
  season_start: null,
  season_end: null,
  festival_name: null,
  festival_from: null,
  festival_to: null,
  rate_or_discount: 'Discount Percentage',
  rate: '0',
  discount_percentage: '10',
  discount_amount: '0',
  tier_mode: null,
  slabs: [],
  stacking: 'Additive',
  max_discount_amount: null,
  round_to_nearest: null,
  requires_coupon: false,
  coupon_code: null,
  usage_limit: null,
  used_count: 0,
};
export const at = Date.parse('2026-03-10T06:30:00Z');
export const ctx: EvaluationContext = {
  at,
  local: localParts(at, 'Asia/Kolkata'),
  customer: null,
  price_list: null,
  coupons: [],
  currency_decimals: 2,
};
export const line = (qty: string, rate = '100', extra: Partial<PricingLine> = {}): PricingLine => ({
  line: 1,
  item_code: 'X',
  item_group: 'G',
  brand: null,
  qty,
  base_rate: rate,
  warehouse: 'W',
  known_item: true,
  ...extra,
});
export const rule = (code: string, over: Partial<PricingRule>): PricingRule => ({ ...baseRule, name: code, rule_code: code, ...over });
