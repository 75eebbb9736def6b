import type { Kysely, Selectable } from '@tributary/platform/db';
import type { ErpDatabase, PricingRuleTable, SlabTable } from '../../db/schema.js';
import { type Weekday, isoDateOrNull, timeOfDay } from '../../shared/dates.js';
import type {
  ApplicableFor,
  ApplyOn,
  ApplyRuleOnOther,
  MarginType,
  PriceOrProduct,
  PricingRule,
  RateOrDiscount,
  Slab,
  SlabType,
  Stacking,
  TierMode,
} from './rule-model.js';

export type RuleRow = Selectable<PricingRuleTable>;

function toPricingRule(row: RuleRow, items: string[], slabs: Selectable<SlabTable>[]): PricingRule {
  return {
    name: row.name,
    rule_code: row.rule_code,
    rule_name: row.rule_name,
    rule_type: row.rule_type,
    priority: Number(row.priority),
    valid_from: row.valid_from.getTime(),
    valid_to: row.valid_to ? row.valid_to.getTime() : null,
    is_active: Number(row.is_active) === 1,
    apply_on: row.apply_on as ApplyOn,
    apply_on_value: row.apply_on_value,
    items,
    applicable_for: row.applicable_for as ApplicableFor,
    applicable_for_value: row.applicable_for_value,
    min_qty: row.min_qty,
    max_qty: row.max_qty,
    min_amount: row.min_amount,
    max_amount: row.max_amount,
    for_price_list: row.for_price_list,
    warehouse: row.warehouse,
    days_of_week: row.day_of_week ? (JSON.parse(row.day_of_week) as Weekday[]) : null,
    time_from: timeOfDay(row.time_from),
    time_to: timeOfDay(row.time_to),
    season_start: row.season_start,
    season_end: row.season_end,
    festival_name: row.festival_name,
    festival_from: isoDateOrNull(row.festival_from),
    festival_to: isoDateOrNull(row.festival_to),
    rate_or_discount: row.rate_or_discount as RateOrDiscount,
    rate: row.rate,
    discount_percentage: row.discount_percentage,
    discount_amount: row.discount_amount,
    tier_mode: row.tier_mode as TierMode | null,
    slabs: slabs.map((s): Slab => ({
      slab_name: s.slab_name,
      min_quantity: s.min_quantity,
      max_quantity: s.max_quantity,
      discount_type: s.discount_type as SlabType,
      discount_percentage: s.discount_percentage,
      discount_amount: s.discount_amount,
      discounted_rate: s.discounted_rate,
    })),
    stacking: row.stacking as Stacking,
    max_discount_amount: row.max_discount_amount,
    round_to_nearest: row.round_to_nearest,
    requires_coupon: Number(row.requires_coupon) === 1,
    coupon_code: row.coupon_code,
    usage_limit: row.usage_limit === null ? null : Number(row.usage_limit),
    used_count: Number(row.used_count),
    margin_type: row.margin_type as MarginType | null,
    margin_rate_or_amount: row.margin_rate_or_amount,
    price_or_product_discount: row.price_or_product_discount as PriceOrProduct,
    free_item: row.free_item,
    free_qty: row.free_qty,
    is_recursive: Number(row.is_recursive) === 1,
    recurse_for: row.recurse_for,
    apply_recursion_over: row.apply_recursion_over,
    round_free_qty: Number(row.round_free_qty) === 1,
    uom: row.uom,
    currency: row.currency,
    apply_rule_on_other: row.apply_rule_on_other as ApplyRuleOnOther | null,
    other_item_code: row.other_item_code,
    other_item_group: row.other_item_group,
    apply_multiple_pricing_rules: Number(row.apply_multiple_pricing_rules) === 1,
  };
}

/** Loads rules with their children in three queries (no per-rule round trips). */
export async function hydrate(db: Kysely<ErpDatabase>, rows: RuleRow[]): Promise<PricingRule[]> {
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.name);
  const items = new Map<string, string[]>();
  const slabs = new Map<string, Selectable<SlabTable>[]>();
  const itemRuleNames = rows.filter((r) => r.apply_on === 'Item Code').map((r) => r.name);
  if (itemRuleNames.length > 0) {
    for (const row of await db
      .selectFrom('tabHD Pricing Rule Item')
      .select(['parent', 'item_code'])
      .where('parent', 'in', itemRuleNames)
      .orderBy('idx')
      .execute()) {
      items.set(row.parent, [...(items.get(row.parent) ?? []), row.item_code]);
    }
  }
  const tiered = rows.filter((r) => r.tier_mode !== null).map((r) => r.name);
  if (tiered.length > 0) {
    for (const row of await db
      .selectFrom('tabHD Volume Discount Slab')
      .selectAll()
      .where('parent', 'in', tiered)
      .orderBy('sort_order')
      .execute()) {
      slabs.set(row.parent, [...(slabs.get(row.parent) ?? []), row]);
    }
  }
  void names;
  return rows.map((row) => toPricingRule(row, items.get(row.name) ?? [], slabs.get(row.name) ?? []));
}
