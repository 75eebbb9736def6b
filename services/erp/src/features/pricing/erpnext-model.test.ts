import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dec } from '@tributary/platform/core';
import { evaluateOrder, type OrderQuote } from './evaluator.js';
import { ctx, line, rule } from './evaluator.fixtures.js';
import { freeQuantity } from './free-items.js';
import { STACKING, type PricingRule } from './rule-model.js';

const decimal = (max: number, places = 2) =>
  fc.integer({ min: 1, max: max * 10 ** places }).map((n) =>
    dec(n)
      .dividedBy(10 ** places)
      .toFixed(),
  );

/** A random rule of the extended model: price or product, with or without margin, any stacking. */
const anyRule = fc
  .record({
    code: fc.constantFrom('A', 'B', 'C', 'D'),
    priority: fc.integer({ min: 0, max: 5 }),
    stacking: fc.constantFrom(...STACKING),
    pct: decimal(60),
    margin: fc.option(decimal(30), { nil: null }),
    product: fc.boolean(),
    recurse: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    multiple: fc.boolean(),
  })
  .map((r): PricingRule =>
    rule(r.code, {
      priority: r.priority,
      stacking: r.stacking,
      discount_percentage: r.pct,
      margin_type: r.margin === null || r.product ? null : 'Percentage',
      margin_rate_or_amount: r.margin ?? '0',
      price_or_product_discount: r.product ? 'Product' : 'Price',
      free_qty: '1',
      is_recursive: r.recurse !== null,
      recurse_for: String(r.recurse ?? 0),
      apply_multiple_pricing_rules: r.multiple,
    }),
  );
const rulesArb = fc.uniqueArray(anyRule, { selector: (r) => r.rule_code, maxLength: 4 });
const selection = fc.constantFrom('stacking' as const, 'erpnext' as const);

const amounts = (q: OrderQuote) => q.lines.map((l) => [l.qty, l.base_amount, l.discount_amount, l.final_amount]);

describe('ERPNext extended model (pure)', () => {
  it('prices a return like the sale, every quantity and amount negated, free goods coming back too', () => {
    fc.assert(
      fc.property(rulesArb, decimal(50, 0), decimal(500), selection, (rules, qty, rate, mode) => {
        const sale = evaluateOrder(rules, { ...ctx, rule_selection: mode }, [line(qty, rate)]);
        const back = evaluateOrder(rules, { ...ctx, rule_selection: mode, is_return: true }, [line(qty, rate)]);
        const negate = (v: string) => (dec(v).isZero() ? dec(0) : dec(v).negated());
        expect(amounts(back)).toEqual(amounts(sale).map((row) => row.map((v) => negate(v).toFixed(v.split('.')[1]?.length ?? 0))));
        expect(back.free_items.map((f) => f.qty)).toEqual(sale.free_items.map((f) => negate(f.qty).toFixed()));
        expect(back.lines[0]!.final_rate).toBe(sale.lines[0]!.final_rate);
      }),
    );
  });

  it('with ignore_pricing_rule, on the order or the line, no rule applies and the price list rate stands', () => {
    fc.assert(
      fc.property(rulesArb, decimal(50, 0), decimal(500), fc.boolean(), (rules, qty, rate, onOrder) => {
        const quote = onOrder
          ? evaluateOrder(rules, { ...ctx, ignore_pricing_rule: true }, [line(qty, rate)])
          : evaluateOrder(rules, ctx, [line(qty, rate, { ignore_pricing_rule: true })]);
        const only = quote.lines[0]!;
        expect(only.pricing_rules_applied).toEqual([]);
        expect(quote.free_items).toEqual([]);
        expect(only.final_amount).toBe(only.base_amount);
        expect(dec(only.final_rate).equals(rate)).toBe(true);
      }),
    );
  });

  it('under ERPNext selection applies one rule, or exactly the rules that allow multiple', () => {
    fc.assert(
      fc.property(rulesArb, (rules) => {
        const quote = evaluateOrder(rules, { ...ctx, rule_selection: 'erpnext' }, [line('3')]);
        const applied = quote.lines[0]!.pricing_rules_applied.map((r) => r.rule_code);
        const multiple = rules.filter((r) => r.apply_multiple_pricing_rules).map((r) => r.rule_code);
        if (multiple.length === 0) expect(applied.length).toBeLessThanOrEqual(1);
        else for (const code of applied) expect(multiple).toContain(code);
      }),
    );
  });

  it('a margin never lowers a price, and discounts are measured on the rate with margin', () => {
    fc.assert(
      fc.property(decimal(100), decimal(1000), (margin, rate) => {
        const raised = evaluateOrder(
          [rule('M', { margin_type: 'Percentage', margin_rate_or_amount: margin, discount_percentage: '0' })],
          ctx,
          [line('1', rate)],
        ).lines[0]!;
        expect(dec(raised.rate_with_margin).equals(dec(rate).times(dec(margin).plus(100)).dividedBy(100))).toBe(true);
        expect(dec(raised.final_rate).gte(rate)).toBe(true);
      }),
    );
  });

  it("rounded recursive free goods are whole multiples and never more than ERPNext's pro-rata figure", () => {
    fc.assert(
      fc.property(decimal(500, 0), fc.integer({ min: 1, max: 20 }), decimal(10, 0), decimal(20, 0), (qty, recurseFor, free, over) => {
        const common = { is_recursive: true, recurse_for: String(recurseFor), free_qty: free, apply_recursion_over: over };
        const rounded = freeQuantity(rule('R', { ...common, round_free_qty: true }), dec(qty));
        const proRata = freeQuantity(rule('R', common), dec(qty));
        const counted = dec(qty).minus(over);
        expect(rounded.equals(counted.lte(0) ? 0 : counted.dividedToIntegerBy(recurseFor).times(free))).toBe(true);
        expect(rounded.lte(proRata)).toBe(true);
      }),
    );
  });
});
