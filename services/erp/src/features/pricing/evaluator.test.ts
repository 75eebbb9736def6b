import { describe, expect, it } from 'vitest';
import { evaluateOrder } from './evaluator.js';
import { ctx, line, rule } from './evaluator.fixtures.js';
import { comparePrecedence } from './rule-model.js';
import { withinTimeOfDay } from './windows.js';

describe('pricing evaluator (pure)', () => {
  it('gives the same answer whatever order the rules arrive in', () => {
    const rules = [
      rule('A', { priority: 5, stacking: 'Compound', discount_percentage: '10' }),
      rule('B', { priority: 5, stacking: 'Compound', rate_or_discount: 'Discount Amount', discount_amount: '7' }),
      rule('C', { priority: 9, stacking: 'Additive', discount_percentage: '3' }),
      rule('D', { priority: 5, apply_on: 'Item Group', apply_on_value: 'G', stacking: 'Compound', rate_or_discount: 'Rate', rate: '60' }),
    ];
    const expected = evaluateOrder(rules, ctx, [line('3')]);
    for (let i = 0; i < 20; i++) {
      const shuffled = [...rules].sort(() => Math.random() - 0.5);
      expect(evaluateOrder(shuffled, ctx, [line('3')])).toEqual(expected);
    }
    expect(expected.lines[0]!.pricing_rules_applied.map((r) => r.rule_code)).toEqual(['C', 'D', 'A', 'B']);
  });

  it('never raises a price or goes below zero, and keeps exact decimals', () => {
    const result = evaluateOrder(
      [
        rule('BIG', { rate_or_discount: 'Discount Amount', discount_amount: '500' }),
        rule('UP', { priority: 0, rate_or_discount: 'Rate', rate: '150', stacking: 'Compound' }),
      ],
      ctx,
      [line('3', '0.1')],
    );
    expect(result.lines[0]!.final_amount).toBe('0.00');
    const third = evaluateOrder([rule('THIRD', { discount_percentage: '33.333' })], ctx, [line('3', '0.1')]);
    expect(third.lines[0]!.final_amount).toBe('0.20');
    expect(third.totalDiscount).toBe('0.10');
  });

  it('orders by priority, then item specificity, then customer specificity, then code', () => {
    const sorted = [
      rule('Z', { priority: 1 }),
      rule('Y', { priority: 1, apply_on: 'Brand' }),
      rule('X', { priority: 1, apply_on: 'Brand', applicable_for: 'Customer' }),
      rule('W', { priority: 2 }),
      rule('V', { priority: 1, apply_on: 'Brand', applicable_for: 'Customer' }),
    ].sort(comparePrecedence);
    expect(sorted.map((r) => r.rule_code)).toEqual(['W', 'V', 'X', 'Y', 'Z']);
  });

  it('treats time windows as half-open and wrapping', () => {
    const w = { time_from: '22:00:00', time_to: '02:00:00' };
    const at = (time: string) => ({ date: '2026-03-10', time, weekday: 'Tuesday' as const });
    expect(withinTimeOfDay(w, at('21:59:59'))).toBe(false);
    expect(withinTimeOfDay(w, at('22:00:00'))).toBe(true);
    expect(withinTimeOfDay(w, at('01:59:59'))).toBe(true);
    expect(withinTimeOfDay(w, at('02:00:00'))).toBe(false);
    expect(withinTimeOfDay({ time_from: null, time_to: null }, at('02:00:00'))).toBe(true);
  });
});
