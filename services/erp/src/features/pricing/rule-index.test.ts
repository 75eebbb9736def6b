import { describe, expect, it } from 'vitest';
import { dec } from '@tributary/platform/core';
import { line, rule } from './evaluator.fixtures.js';
import { lineQualifies } from './line-conditions.js';
import { comparePrecedence, type PricingRule } from './rule-model.js';
import { indexByItemScope } from './rule-index.js';

describe('rules indexed by item scope', () => {
  // Every item scope, overlapping keys, a rule naming its item twice, a group rule without a group.
  const rules: PricingRule[] = Array.from({ length: 120 }, (_, i): PricingRule => {
    const code = `R${String(i).padStart(3, '0')}`;
    const common = { priority: i % 5, min_qty: i % 11 === 0 ? '5' : '0' };
    switch (i % 5) {
      case 0:
        return rule(code, { ...common, apply_on: 'Item Code', items: [`I${i % 7}`, `I${(i + 3) % 7}`, `I${i % 7}`] });
      case 1:
        return rule(code, { ...common, apply_on: 'Item Group', apply_on_value: i % 13 === 0 ? null : `G${i % 3}` });
      case 2:
        return rule(code, { ...common, apply_on: 'Brand', apply_on_value: `B${i % 4}` });
      default:
        return rule(code, { ...common, apply_on: 'All Items' });
    }
  }).sort(comparePrecedence);
  const lines = [
    ...Array.from({ length: 7 }, (_, i) => line(String(1 + i), '100', { item_code: `I${i}`, item_group: `G${i % 3}`, brand: `B${i % 4}` })),
    line('3', '100', { item_code: 'UNKNOWN', item_group: null, brand: null }),
  ];

  it('gives each line the rules the full walk would qualify, in precedence order', () => {
    const index = indexByItemScope(rules);
    for (const l of lines) {
      const qty = dec(l.qty);
      const qualifies = (r: PricingRule) => lineQualifies(r, l, qty, qty.times(l.base_rate));
      const walked = rules.filter(qualifies);
      expect(walked.length).toBeGreaterThan(0);
      expect(index.candidatesFor(l).filter(qualifies)).toEqual(walked);
      // Nothing is offered twice, and the candidates stay in precedence order.
      const candidates = index.candidatesFor(l);
      expect(new Set(candidates).size).toBe(candidates.length);
      expect([...candidates].sort(comparePrecedence)).toEqual(candidates);
    }
  });

  it('offers a line only rules whose item scope can match it', () => {
    const index = indexByItemScope(rules);
    const unknown = index.candidatesFor(lines[lines.length - 1]!);
    expect(unknown.every((r) => r.apply_on === 'All Items')).toBe(true);
    expect(unknown.length).toBeLessThan(rules.length);
  });
});
