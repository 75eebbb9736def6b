import { Decimal, dec } from '@tributary/platform/core';
import { show } from '../../shared/numbers.js';
import type { PricingRule, RuleSelection } from './rule-model.js';

export interface Selection {
  selected: PricingRule[];
  skipped: { rule_code: string; reason: string }[];
}

/**
 * Which of a line's applicable rules (already in precedence order) take part. Under
 * `stacking` every one does and its stacking policy decides. Under `erpnext`, as ERPNext: when
 * any applicable rule allows multiple rules, exactly those apply; otherwise only the first by
 * priority then specificity. ERPNext refuses a tie of equal priority and specificity
 * (MultiplePricingRuleConflict); here rule_code breaks it, so a quote never fails on it.
 */
export function selectRules(candidates: readonly PricingRule[], mode: RuleSelection): Selection {
  if (mode === 'stacking' || candidates.length === 0) return { selected: [...candidates], skipped: [] };
  const multiple = candidates.filter((rule) => rule.apply_multiple_pricing_rules === true);
  const selected = multiple.length > 0 ? multiple : [candidates[0]!];
  const reason =
    multiple.length > 0
      ? 'not selected: other rules allow multiple pricing rules and this one does not'
      : `not selected: ${selected[0]!.rule_code} comes first by priority and specificity`;
  return {
    selected,
    skipped: candidates.filter((rule) => !selected.includes(rule)).map((rule) => ({ rule_code: rule.rule_code, reason })),
  };
}

/** Margin per unit on the price list rate; margins of several rules add up, as in ERPNext. */
export function marginPerUnit(rules: readonly PricingRule[], priceListRate: Decimal): { margin: Decimal; details: Map<string, string> } {
  let margin = dec(0);
  const details = new Map<string, string>();
  for (const rule of rules) {
    if (!rule.margin_type) continue;
    const value = dec(rule.margin_rate_or_amount ?? '0');
    const one = rule.margin_type === 'Percentage' ? priceListRate.times(value).dividedBy(100) : value;
    if (one.isZero()) continue;
    margin = margin.plus(one);
    details.set(rule.rule_code, `margin ${rule.margin_type === 'Percentage' ? `${show(value)}%` : show(value)} (+${show(one)} per unit)`);
  }
  return { margin: Decimal.max(margin, 0), details };
}
