import { dec } from '@tributary/platform/core';
import type { Static } from '@sinclair/typebox';
import { ErpError } from '../../errors.js';
import { isIsoDate, startOfLocalDay } from '../../shared/dates.js';
import type { RuleFields } from './pricing.schemas.js';

type RuleInput = Static<typeof RuleFields>;

function bad(message: string): never {
  throw ErpError.PRICING_RULE_INVALID(message);
}

/** 'YYYY-MM-DD' means that day's plant-local midnight; anything else must be an ISO instant with a zone. */
export function parseInstant(value: string, timeZone: string, field: string): number {
  if (isIsoDate(value)) return startOfLocalDay(value, timeZone);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw ErpError.PRICING_REQUEST_INVALID(`${field} must be YYYY-MM-DD or an ISO instant with offset, got ${JSON.stringify(value)}`);
  }
  return Date.parse(value);
}

export const normTime = (t: string | null | undefined) => (t ? (t.length === 5 ? `${t}:00` : t) : null);

/** Rules the original doctype validated, plus what the richer model needs to be unambiguous. */
export function validateRule(input: RuleInput, timeZone: string): void {
  const from = parseInstant(input.valid_from, timeZone, 'valid_from');
  if (input.valid_to && parseInstant(input.valid_to, timeZone, 'valid_to') <= from) bad('valid_to must be after valid_from');
  if ((input.time_from == null) !== (input.time_to == null)) bad('time_from and time_to go together');
  if (input.time_from && normTime(input.time_from) === normTime(input.time_to)) bad('time_from and time_to must differ');
  if (input.max_qty && dec(input.max_qty).gt(0) && dec(input.max_qty).lte(input.min_qty ?? '0'))
    bad('max_qty must be greater than min_qty');
  if (input.max_amount && dec(input.max_amount).gt(0) && dec(input.max_amount).lte(input.min_amount ?? '0'))
    bad('max_amount must be greater than min_amount');
  if ((input.season_start == null) !== (input.season_end == null)) bad('season_start and season_end go together');
  if ((input.festival_from == null) !== (input.festival_to == null)) bad('festival_from and festival_to go together');
  if (input.festival_from && input.festival_to && input.festival_to < input.festival_from)
    bad('festival_to must not be before festival_from');
  if (input.apply_on === 'Item Code' && (!input.items || input.items.length === 0)) bad('apply_on Item Code needs items');
  if ((input.apply_on === 'Item Group' || input.apply_on === 'Brand') && !input.apply_on_value)
    bad(`apply_on ${input.apply_on} needs apply_on_value`);
  if (input.applicable_for !== 'All Customers' && !input.applicable_for_value)
    bad(`applicable_for ${input.applicable_for} needs applicable_for_value`);
  if (input.requires_coupon && !input.coupon_code) bad('requires_coupon needs coupon_code');
  if (!input.requires_coupon && input.coupon_code) bad('coupon_code without requires_coupon');
  validateErpnextFields(input);
  const slabs = input.slabs ?? [];
  if (input.tier_mode) {
    if (slabs.length === 0) bad('tier_mode needs slabs');
    const sorted = [...slabs].sort((a, b) => dec(a.min_quantity).comparedTo(b.min_quantity));
    sorted.forEach((slab, i) => {
      if (slab.max_quantity != null && dec(slab.max_quantity).lt(slab.min_quantity))
        bad(`slab ${i + 1}: max_quantity must not be below min_quantity`);
      if (slab.discount_type === 'Percentage' && !(slab.discount_percentage && dec(slab.discount_percentage).gt(0)))
        bad(`slab ${i + 1}: discount_percentage must be in (0, 100]`);
      if (slab.discount_type === 'Fixed Amount' && !(slab.discount_amount && dec(slab.discount_amount).gt(0)))
        bad(`slab ${i + 1}: discount_amount must be > 0`);
      if (slab.discount_type === 'Fixed Rate' && !(slab.discounted_rate && dec(slab.discounted_rate).gt(0)))
        bad(`slab ${i + 1}: discounted_rate must be > 0`);
      const next = sorted[i + 1];
      if (next && (slab.max_quantity == null || dec(next.min_quantity).minus(1).lt(slab.max_quantity)))
        bad('slabs overlap: each slab must start after the previous one ends (1–10, 11–50, 51+)');
    });
  } else {
    if (slabs.length > 0) bad('slabs need tier_mode');
    const kind = input.rate_or_discount ?? 'Discount Percentage';
    // A Product rule gives goods, and a margin rule may raise the price only: no discount needed.
    if (input.price_or_product_discount === 'Product' || input.margin_type) return;
    if (kind === 'Discount Percentage' && !(input.discount_percentage && dec(input.discount_percentage).gt(0)))
      bad('Discount Percentage needs discount_percentage in (0, 100]');
    if (kind === 'Discount Amount' && !(input.discount_amount && dec(input.discount_amount).gt(0)))
      bad('Discount Amount needs discount_amount > 0');
    if (kind === 'Rate' && input.rate === undefined) bad('Rate needs rate');
  }
}

/**
 * ERPNext's extended fields (ADR 0308): each needs its partners and excludes what it cannot
 * combine with. Fields left over from a kind the rule no longer is (a margin amount without a
 * margin type, a free item on a Price rule, other-item fields without apply_rule_on_other) are
 * reset rather than refused, as ERPNext resets them, so a patch can switch a rule's kind.
 */
function validateErpnextFields(input: RuleInput): void {
  if (input.margin_type === 'Percentage' && input.margin_rate_or_amount && dec(input.margin_rate_or_amount).gt(1000))
    bad('a percentage margin must not exceed 1000');
  if (input.apply_rule_on_other === 'Item Code' && !input.other_item_code) bad('apply_rule_on_other Item Code needs other_item_code');
  if (input.apply_rule_on_other === 'Item Group' && !input.other_item_group) bad('apply_rule_on_other Item Group needs other_item_group');
  if (input.price_or_product_discount !== 'Product') return;
  if (input.tier_mode) bad('a Product rule takes no tier_mode');
  if (input.margin_type) bad('a Product rule takes no margin');
  if (input.apply_rule_on_other) bad('a Product rule cannot apply on another item');
  if (input.is_recursive && !(input.recurse_for && dec(input.recurse_for).gt(0))) bad('is_recursive needs recurse_for > 0');
}
