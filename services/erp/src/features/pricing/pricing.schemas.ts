import { Type } from '@sinclair/typebox';
import { WEEKDAYS } from '../../shared/dates.js';
import { DocName, IsoDate, NonNegativeDecimal, Nullable, Paging, PositiveDecimal } from '../../shared/schemas.js';
import {
  APPLICABLE_FOR,
  APPLY_ON,
  APPLY_RULE_ON_OTHER,
  MARGIN_TYPES,
  PRICE_OR_PRODUCT,
  RATE_OR_DISCOUNT,
  RULE_SELECTIONS,
  SLAB_TYPES,
  STACKING,
  TIER_MODES,
} from './rule-model.js';

const lit = <T extends readonly string[]>(values: T, options: object = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
const Text140 = Type.String({ minLength: 1, maxLength: 140 });
const Percent = Type.String({ pattern: '^(100(\\.0{1,3})?|[0-9]{1,2}(\\.[0-9]{1,3})?)$' });
const Instant = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'YYYY-MM-DD (plant-local midnight) or an ISO 8601 instant with offset',
});
const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$', description: 'plant-local HH:MM[:SS]' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. INR' });
const Uom = Type.String({ minLength: 1, maxLength: 50 });
const MonthDay = Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', description: 'MM-DD' });

export const RULE_TYPES = [
  'Volume Discount',
  'Customer Segment',
  'Promotional',
  'Seasonal',
  'Bulk Order',
  'Clearance',
  'Early Payment',
  'Loyalty Reward',
  'Festival',
  'Happy Hour',
] as const;

export const SlabIn = Type.Object(
  {
    slab_name: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
    min_quantity: PositiveDecimal(),
    max_quantity: Type.Optional(Nullable(PositiveDecimal())),
    discount_type: lit(SLAB_TYPES, { default: 'Percentage' }),
    discount_percentage: Type.Optional(Percent),
    discount_amount: Type.Optional(NonNegativeDecimal()),
    discounted_rate: Type.Optional(NonNegativeDecimal()),
  },
  { additionalProperties: false },
);

export const RuleFields = Type.Object({
  rule_code: Type.Optional(Type.String({ minLength: 1, maxLength: 30, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' })),
  rule_name: Type.String({ minLength: 1, maxLength: 150 }),
  rule_description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  rule_type: lit(RULE_TYPES),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'higher wins; 1 when omitted' })),
  valid_from: Instant,
  valid_to: Type.Optional(Nullable(Instant)),
  is_active: Type.Optional(Type.Boolean({ description: 'true when omitted' })),
  apply_on: lit(APPLY_ON),
  apply_on_value: Type.Optional(Nullable(Text140)),
  items: Type.Optional(Type.Array(Text140, { maxItems: 1000, uniqueItems: true })),
  applicable_for: lit(APPLICABLE_FOR),
  applicable_for_value: Type.Optional(Nullable(Text140)),
  min_qty: Type.Optional(NonNegativeDecimal()),
  max_qty: Type.Optional(Nullable(NonNegativeDecimal())),
  min_amount: Type.Optional(NonNegativeDecimal()),
  max_amount: Type.Optional(Nullable(NonNegativeDecimal())),
  for_price_list: Type.Optional(Nullable(Text140)),
  warehouse: Type.Optional(Nullable(Text140)),
  days_of_week: Type.Optional(Nullable(Type.Array(lit(WEEKDAYS), { maxItems: 7, uniqueItems: true }))),
  time_from: Type.Optional(Nullable(TimeOfDay)),
  time_to: Type.Optional(Nullable(TimeOfDay)),
  season_start: Type.Optional(Nullable(MonthDay)),
  season_end: Type.Optional(Nullable(MonthDay)),
  festival_name: Type.Optional(Nullable(Text140)),
  festival_from: Type.Optional(Nullable(IsoDate())),
  festival_to: Type.Optional(Nullable(IsoDate())),
  rate_or_discount: Type.Optional(lit(RATE_OR_DISCOUNT, { description: 'Discount Percentage when omitted' })),
  rate: Type.Optional(NonNegativeDecimal()),
  discount_percentage: Type.Optional(Percent),
  discount_amount: Type.Optional(NonNegativeDecimal()),
  tier_mode: Type.Optional(Nullable(lit(TIER_MODES))),
  slabs: Type.Optional(Type.Array(SlabIn, { maxItems: 50 })),
  stacking: Type.Optional(lit(STACKING, { description: 'Additive when omitted' })),
  max_discount_amount: Type.Optional(Nullable(PositiveDecimal())),
  round_to_nearest: Type.Optional(Nullable(PositiveDecimal())),
  requires_coupon: Type.Optional(Type.Boolean()),
  coupon_code: Type.Optional(Nullable(Type.String({ minLength: 3, maxLength: 140, pattern: '^[A-Za-z0-9_-]+$' }))),
  usage_limit: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  margin_type: Type.Optional(Nullable(lit(MARGIN_TYPES, { description: 'raises the price list rate before discounts' }))),
  margin_rate_or_amount: Type.Optional(NonNegativeDecimal({ description: 'percent of the price list rate, or amount per unit' })),
  price_or_product_discount: Type.Optional(lit(PRICE_OR_PRODUCT, { description: 'Price when omitted; Product gives free goods' })),
  free_item: Type.Optional(Nullable(Text140)),
  free_qty: Type.Optional(NonNegativeDecimal({ description: 'free units (1 when 0 or omitted on a Product rule)' })),
  is_recursive: Type.Optional(Type.Boolean()),
  recurse_for: Type.Optional(NonNegativeDecimal({ description: 'free_qty per this many units bought' })),
  apply_recursion_over: Type.Optional(NonNegativeDecimal({ description: 'units bought before recursion starts counting' })),
  round_free_qty: Type.Optional(Type.Boolean({ description: 'whole multiples of recurse_for only' })),
  uom: Type.Optional(Nullable(Uom)),
  currency: Type.Optional(Nullable(Currency)),
  apply_rule_on_other: Type.Optional(Nullable(lit(APPLY_RULE_ON_OTHER))),
  other_item_code: Type.Optional(Nullable(Text140)),
  other_item_group: Type.Optional(Nullable(Text140)),
  apply_multiple_pricing_rules: Type.Optional(Type.Boolean({ description: "under rule_selection 'erpnext': applies with others" })),
});

export const RuleCreate = Type.Composite([RuleFields], { additionalProperties: false });
export const RulePatch = Type.Partial(Type.Omit(RuleFields, ['rule_code']), { additionalProperties: false, minProperties: 1 });

const SlabOut = Type.Object({
  slab_name: Type.String(),
  min_quantity: Type.String(),
  max_quantity: Nullable(Type.String()),
  discount_type: Type.String(),
  discount_percentage: Type.String(),
  discount_amount: Type.String(),
  discounted_rate: Type.String(),
});

export const RuleOut = Type.Object({
  name: Type.String(),
  rule_code: Type.String(),
  rule_name: Type.String(),
  rule_description: Nullable(Type.String()),
  rule_type: Type.String(),
  priority: Type.Integer(),
  valid_from: Type.String(),
  valid_to: Nullable(Type.String()),
  is_active: Type.Boolean(),
  rule_status: Type.String(),
  apply_on: Type.String(),
  apply_on_value: Nullable(Type.String()),
  items: Type.Array(Type.String()),
  applicable_for: Type.String(),
  applicable_for_value: Nullable(Type.String()),
  min_qty: Type.String(),
  max_qty: Nullable(Type.String()),
  min_amount: Type.String(),
  max_amount: Nullable(Type.String()),
  for_price_list: Nullable(Type.String()),
  warehouse: Nullable(Type.String()),
  days_of_week: Nullable(Type.Array(Type.String())),
  time_from: Nullable(Type.String()),
  time_to: Nullable(Type.String()),
  season_start: Nullable(Type.String()),
  season_end: Nullable(Type.String()),
  festival_name: Nullable(Type.String()),
  festival_from: Nullable(Type.String()),
  festival_to: Nullable(Type.String()),
  rate_or_discount: Type.String(),
  rate: Type.String(),
  discount_percentage: Type.String(),
  discount_amount: Type.String(),
  tier_mode: Nullable(Type.String()),
  slabs: Type.Array(SlabOut),
  stacking: Type.String(),
  max_discount_amount: Nullable(Type.String()),
  round_to_nearest: Nullable(Type.String()),
  requires_coupon: Type.Boolean(),
  coupon_code: Nullable(Type.String()),
  usage_limit: Nullable(Type.Integer()),
  used_count: Type.Integer(),
  margin_type: Nullable(Type.String()),
  margin_rate_or_amount: Type.String(),
  price_or_product_discount: Type.String(),
  free_item: Nullable(Type.String()),
  free_qty: Type.String(),
  is_recursive: Type.Boolean(),
  recurse_for: Type.String(),
  apply_recursion_over: Type.String(),
  round_free_qty: Type.Boolean(),
  uom: Nullable(Type.String()),
  currency: Nullable(Type.String()),
  apply_rule_on_other: Nullable(Type.String()),
  other_item_code: Nullable(Type.String()),
  other_item_group: Nullable(Type.String()),
  apply_multiple_pricing_rules: Type.Boolean(),
  version: Type.Integer(),
  modified: Type.String(),
});

export const RuleListQuery = Type.Object({
  ...Paging,
  is_active: Type.Optional(Type.Boolean()),
  rule_type: Type.Optional(Type.String({ maxLength: 30 })),
  apply_on: Type.Optional(lit(APPLY_ON)),
  applicable_for: Type.Optional(lit(APPLICABLE_FOR)),
  item_code: Type.Optional(Text140),
  coupon_code: Type.Optional(Text140),
});

export const CalculateBody = Type.Object(
  {
    customer: Type.Optional(Nullable(Type.String({ maxLength: 140 }))),
    at: Type.Optional(Instant),
    date: Type.Optional(Instant),
    price_list: Type.Optional(Nullable(Text140)),
    coupon_codes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 140 }), { maxItems: 10, uniqueItems: true })),
    items: Type.Array(
      Type.Object(
        {
          item_code: Type.String({ minLength: 1, maxLength: 140 }),
          qty: PositiveDecimal(),
          rate: Type.Optional(NonNegativeDecimal({ description: 'base unit price; defaults to the item standard_rate' })),
          warehouse: Type.Optional(Nullable(Text140)),
          uom: Type.Optional(Nullable(Uom)),
          conversion_factor: Type.Optional(
            PositiveDecimal({ description: 'stock units per line unit; needed when uom is not the stock UoM' }),
          ),
          ignore_pricing_rule: Type.Optional(Type.Boolean({ description: 'no rule prices this line' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    currency: Type.Optional(Nullable(Currency)),
    ignore_pricing_rule: Type.Optional(Type.Boolean({ description: 'no rule prices any line' })),
    is_return: Type.Optional(
      Type.Boolean({ description: 'the quantities come back: priced by the same rules, quantities and amounts negative' }),
    ),
    rule_selection: Type.Optional(lit(RULE_SELECTIONS, { description: "stacking (default, ADR 0301) or ERPNext's selection (ADR 0308)" })),
    reference_doctype: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    reference_name: Type.Optional(Text140),
    dry_run: Type.Optional(Type.Boolean({ default: false, description: 'quote only: log no applications and use no coupon' })),
  },
  { additionalProperties: false },
);

const AppliedOut = Type.Object({
  rule: Type.String(),
  rule_code: Type.String(),
  rule_name: Type.String(),
  priority: Type.Integer(),
  stacking: Type.String(),
  basis: Type.String(),
  discount_amount: Type.String(),
  rate_after: Type.String(),
  detail: Type.String(),
  coupon_code: Nullable(Type.String()),
});
const FreeItemOut = Type.Object({
  for_line: Type.Integer(),
  rule: Type.String(),
  rule_code: Type.String(),
  item_code: Type.String(),
  qty: Type.String(),
  rate: Type.String(),
  amount: Type.String(),
});
export const CalculateOut = Type.Object({
  success: Type.Boolean(),
  quote_id: Type.String(),
  customer: Nullable(Type.String()),
  known_customer: Type.Boolean(),
  at: Type.String(),
  plant_time: Type.Object({ time_zone: Type.String(), date: Type.String(), time: Type.String(), weekday: Type.String() }),
  pricing: Type.Array(
    Type.Object({
      line: Type.Integer(),
      item_code: Type.String(),
      qty: Type.String(),
      warehouse: Nullable(Type.String()),
      unknown_item: Type.Boolean(),
      base_rate: Type.String(),
      rate_with_margin: Type.String(),
      base_amount: Type.String(),
      discount_amount: Type.String(),
      discount_percentage: Type.String(),
      final_rate: Type.String(),
      final_amount: Type.String(),
      pricing_rules_applied: Type.Array(AppliedOut),
      pricing_rules_skipped: Type.Array(Type.Object({ rule_code: Type.String(), reason: Type.String() })),
      free_items: Type.Array(FreeItemOut),
    }),
  ),
  free_items: Type.Array(FreeItemOut),
  totalBeforeDiscount: Type.String(),
  totalDiscount: Type.String(),
  totalAfterDiscount: Type.String(),
  coupons_applied: Type.Array(Type.String()),
  logged_applications: Type.Integer(),
});

export const RuleNameParams = Type.Object({ name: DocName() });
