import type { Weekday } from '../../shared/dates.js';

/** A pricing rule as the evaluator sees it: decimals as strings, windows already parsed. */
export const APPLY_ON = ['Item Code', 'Item Group', 'Brand', 'All Items'] as const;
export const APPLICABLE_FOR = ['Customer', 'Customer Segment', 'Customer Group', 'Territory', 'All Customers'] as const;
export const RATE_OR_DISCOUNT = ['Rate', 'Discount Percentage', 'Discount Amount'] as const;
export const STACKING = ['Exclusive', 'Additive', 'Compound'] as const;
export const TIER_MODES = ['Whole Quantity', 'Cumulative'] as const;
export const SLAB_TYPES = ['Percentage', 'Fixed Amount', 'Fixed Rate'] as const;
export const MARGIN_TYPES = ['Percentage', 'Amount'] as const;
export const PRICE_OR_PRODUCT = ['Price', 'Product'] as const;
export const APPLY_RULE_ON_OTHER = ['Item Code', 'Item Group'] as const;
export const RULE_SELECTIONS = ['stacking', 'erpnext'] as const;

export type ApplyOn = (typeof APPLY_ON)[number];
export type ApplicableFor = (typeof APPLICABLE_FOR)[number];
export type RateOrDiscount = (typeof RATE_OR_DISCOUNT)[number];
export type Stacking = (typeof STACKING)[number];
export type TierMode = (typeof TIER_MODES)[number];
export type SlabType = (typeof SLAB_TYPES)[number];
export type MarginType = (typeof MARGIN_TYPES)[number];
export type PriceOrProduct = (typeof PRICE_OR_PRODUCT)[number];
export type ApplyRuleOnOther = (typeof APPLY_RULE_ON_OTHER)[number];
/** `stacking`: every applicable rule by its stacking policy (ADR 0301); `erpnext`: ERPNext's selection (ADR 0308). */
export type RuleSelection = (typeof RULE_SELECTIONS)[number];

export interface Slab {
  slab_name: string;
  min_quantity: string;
  max_quantity: string | null;
  discount_type: SlabType;
  discount_percentage: string;
  discount_amount: string;
  discounted_rate: string;
}

export interface PricingRule {
  name: string;
  rule_code: string;
  rule_name: string;
  rule_type: string;
  priority: number;
  /** Epoch ms; valid on [valid_from, valid_to). */
  valid_from: number;
  valid_to: number | null;
  is_active: boolean;
  apply_on: ApplyOn;
  apply_on_value: string | null;
  items: string[];
  applicable_for: ApplicableFor;
  applicable_for_value: string | null;
  min_qty: string;
  max_qty: string | null;
  min_amount: string;
  max_amount: string | null;
  for_price_list: string | null;
  warehouse: string | null;
  days_of_week: Weekday[] | null;
  /** Plant-local 'HH:MM:SS'; the window is [time_from, time_to), wrapping midnight when from > to. */
  time_from: string | null;
  time_to: string | null;
  /** 'MM-DD' inclusive, wrapping the new year when start > end. */
  season_start: string | null;
  season_end: string | null;
  festival_name: string | null;
  /** Plant-local calendar days, inclusive. */
  festival_from: string | null;
  festival_to: string | null;
  rate_or_discount: RateOrDiscount;
  rate: string;
  discount_percentage: string;
  discount_amount: string;
  tier_mode: TierMode | null;
  slabs: Slab[];
  stacking: Stacking;
  max_discount_amount: string | null;
  round_to_nearest: string | null;
  requires_coupon: boolean;
  coupon_code: string | null;
  usage_limit: number | null;
  used_count: number;
  // ERPNext's extended model (ADR 0308). Optional so that rules built before it still evaluate
  // exactly as they did: absent means no margin, a price discount, any UoM, any currency.
  /** Raises the price list rate before any discount: a percentage of it, or an amount per unit. */
  margin_type?: MarginType | null;
  margin_rate_or_amount?: string;
  /** 'Product' gives free goods (free_item, or the line's own item when null) instead of a price. */
  price_or_product_discount?: PriceOrProduct;
  free_item?: string | null;
  free_qty?: string;
  /** Free goods per `recurse_for` units above `apply_recursion_over`, as ERPNext computes them. */
  is_recursive?: boolean;
  recurse_for?: string;
  apply_recursion_over?: string;
  round_free_qty?: boolean;
  /** Applies only to lines sold in this UoM; without it, per-unit values are per stock UoM. */
  uom?: string | null;
  /** Applies only to orders priced in this currency. */
  currency?: string | null;
  /** The rule's own scope is the condition; the discount goes to the lines of this other item or group. */
  apply_rule_on_other?: ApplyRuleOnOther | null;
  other_item_code?: string | null;
  other_item_group?: string | null;
  /** Under `erpnext` selection: rules with this flag all apply; otherwise only the first rule does. */
  apply_multiple_pricing_rules?: boolean;
}

const ITEM_SPECIFICITY: Record<ApplyOn, number> = { 'Item Code': 3, 'Item Group': 2, Brand: 1, 'All Items': 0 };
const CUSTOMER_SPECIFICITY: Record<ApplicableFor, number> = {
  Customer: 4,
  'Customer Segment': 3,
  'Customer Group': 2,
  Territory: 1,
  'All Customers': 0,
};

/**
 * Precedence, written down once (ADR 0301): higher priority first; then the more specific
 * item scope (Item Code > Item Group > Brand > All Items); then the more specific customer
 * scope (Customer > Segment > Customer Group > Territory > All); then rule_code ascending, a
 * unique key, so two evaluations of the same rules always agree.
 */
export function comparePrecedence(a: PricingRule, b: PricingRule): number {
  return (
    b.priority - a.priority ||
    ITEM_SPECIFICITY[b.apply_on] - ITEM_SPECIFICITY[a.apply_on] ||
    CUSTOMER_SPECIFICITY[b.applicable_for] - CUSTOMER_SPECIFICITY[a.applicable_for] ||
    (a.rule_code < b.rule_code ? -1 : a.rule_code > b.rule_code ? 1 : 0)
  );
}
