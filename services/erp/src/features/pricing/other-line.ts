import { dec } from '@tributary/platform/core';
import { type LineFacts, lineQualifies } from './line-conditions.js';
import type { PricingRule } from './rule-model.js';

/**
 * ERPNext's `apply_rule_on_other`: the rule's own scope and bounds are a condition that some
 * line of the order must meet; when one does, the rule's price effect goes to the lines of
 * `other_item_code` (or of `other_item_group`) instead. Resolved per order, before the lines are
 * priced: a triggered rule becomes an ordinary rule scoped to the other item or group with no
 * bounds of its own, and an untriggered one drops out.
 */
export function resolveOtherLineRules(
  rules: readonly PricingRule[],
  lines: readonly (LineFacts & { qty: string; base_rate: string; ignore_pricing_rule?: boolean })[],
): PricingRule[] {
  const resolved: PricingRule[] = [];
  for (const rule of rules) {
    if (!rule.apply_rule_on_other) {
      resolved.push(rule);
      continue;
    }
    const triggered = lines.some((line) => {
      if (line.ignore_pricing_rule) return false;
      const qty = dec(line.qty).abs();
      return lineQualifies(rule, line, qty, qty.times(line.base_rate));
    });
    if (!triggered) continue;
    const byCode = rule.apply_rule_on_other === 'Item Code';
    resolved.push({
      ...rule,
      apply_on: byCode ? 'Item Code' : 'Item Group',
      items: byCode && rule.other_item_code ? [rule.other_item_code] : [],
      apply_on_value: byCode ? null : (rule.other_item_group ?? null),
      min_qty: '0',
      max_qty: null,
      min_amount: '0',
      max_amount: null,
      uom: null,
      apply_rule_on_other: null,
    });
  }
  return resolved;
}
