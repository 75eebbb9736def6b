import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { type Harness, pricingRule, ok, startHarness } from './harness.js';

/**
 * ERPNext's own pricing test cases (erpnext/accounts/doctype/pricing_rule/test_pricing_rule.py)
 * that map onto erp's extended model, each named after the ERPNext test it encodes and checked
 * against ERPNext's expected figure. ERPNext's `discount_amount` on an item row is per unit; it
 * is compared here with base_rate − final_rate (or with the line's discount at qty 1). Every case
 * runs with `rule_selection: 'erpnext'` unless it says otherwise, and uses items of its own so
 * the cases do not see each other's rules.
 */
for (const target of testDatabases()) {
  describe(`${target.label}: ERPNext's pricing test cases`, () => {
    let h: Harness;
    const item = (code: string, extra: Record<string, unknown> = {}) =>
      ok(h.call('POST', '/items', { item_code: code, item_group: 'ERPNext Cases', standard_rate: '100', stock_uom: 'Nos', ...extra }), 201);
    const rule = (code: string, body: Record<string, unknown>) => pricingRule(h, code, body);
    const quote = (items: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
      ok(h.call('POST', '/pricing/calculate', { items, dry_run: true, rule_selection: 'erpnext', ...extra }));
    const line = async (item_code: string, qty: string, extra: Record<string, unknown> = {}, order: Record<string, unknown> = {}) =>
      (await quote([{ item_code, qty, ...extra }], order)).pricing[0];

    beforeAll(async () => {
      h = await startHarness(target);
    });
    afterAll(async () => h.close());

    it('test_pricing_rule_with_margin_and_discount: 1000 + 10% margin = 1100, 10% off = 990', async () => {
      await item('EN-MARGIN', { standard_rate: '1000' });
      await rule('EN-MARGIN', { items: ['EN-MARGIN'], margin_type: 'Percentage', margin_rate_or_amount: '10', discount_percentage: '10' });
      const l = await line('EN-MARGIN', '1');
      expect(l).toMatchObject({ base_rate: '1000', rate_with_margin: '1100', discount_amount: '110.00', final_rate: '990' });
    });

    it('test_pricing_rule_with_margin_and_discount_amount: 1100 with margin, 110 off = 990', async () => {
      await item('EN-MARGIN-AMT', { standard_rate: '1000' });
      await rule('EN-MARGIN-AMT', {
        items: ['EN-MARGIN-AMT'],
        margin_type: 'Percentage',
        margin_rate_or_amount: '10',
        rate_or_discount: 'Discount Amount',
        discount_amount: '110',
      });
      const l = await line('EN-MARGIN-AMT', '1');
      expect(l).toMatchObject({ rate_with_margin: '1100', discount_amount: '110.00', final_rate: '990' });
    });

    it('test_item_price_with_pricing_rule: a Rate of 0 keeps the item price 100, a 2% margin makes 102', async () => {
      await item('EN-FLASK');
      await rule('EN-FLASK', {
        items: ['EN-FLASK'],
        rate_or_discount: 'Rate',
        rate: '0',
        margin_type: 'Percentage',
        margin_rate_or_amount: '2',
      });
      expect(await line('EN-FLASK', '1')).toMatchObject({ base_rate: '100', rate_with_margin: '102', final_rate: '102' });
    });

    it('test_pricing_rule_for_product_discount_on_same_item: one free unit of the same item', async () => {
      await item('EN-SAME');
      await rule('EN-SAME', { items: ['EN-SAME'], max_qty: '7', price_or_product_discount: 'Product', free_qty: '1' });
      const result = await quote([{ item_code: 'EN-SAME', qty: '1' }]);
      expect(result.free_items).toEqual([
        { for_line: 1, rule: 'EN-SAME', rule_code: 'EN-SAME', item_code: 'EN-SAME', qty: '1', rate: '0', amount: '0.00' },
      ]);
      expect(result.pricing[0].final_amount).toBe('100.00');
    });

    it('test_pricing_rule_for_product_discount_on_different_item: one free unit of the other item', async () => {
      await item('EN-DIFF');
      await item('EN-DIFF-FREE');
      await rule('EN-DIFF', {
        items: ['EN-DIFF'],
        max_qty: '7',
        price_or_product_discount: 'Product',
        free_item: 'EN-DIFF-FREE',
        free_qty: '1',
      });
      const result = await quote([{ item_code: 'EN-DIFF', qty: '1' }]);
      expect(result.free_items.map((f: any) => [f.item_code, f.qty])).toEqual([['EN-DIFF-FREE', '1']]);
    });

    it('test_pricing_rule_for_product_free_item_rounded_qty_and_recursion: 5 bought → 2 free, 7 → 3', async () => {
      await item('EN-RECUR');
      await rule('EN-RECUR', {
        items: ['EN-RECUR'],
        min_qty: '3',
        max_qty: '7',
        price_or_product_discount: 'Product',
        free_qty: '1',
        round_free_qty: true,
        is_recursive: true,
        recurse_for: '2',
      });
      const result = await quote(['5', '7', '1'].map((qty) => ({ item_code: 'EN-RECUR', qty })));
      expect(result.free_items.map((f: any) => [f.for_line, f.qty])).toEqual([
        [1, '2'],
        [2, '3'],
      ]);
    });

    it('test_pricing_rule_for_product_free_item_round_free_qty: 100 bought → 10 free, 150 → 10', async () => {
      await item('EN-ROUND');
      await rule('EN-ROUND', {
        items: ['EN-ROUND'],
        min_qty: '100',
        price_or_product_discount: 'Product',
        free_qty: '10',
        round_free_qty: true,
        is_recursive: true,
        recurse_for: '100',
      });
      const result = await quote(['100', '150'].map((qty) => ({ item_code: 'EN-ROUND', qty })));
      expect(result.free_items.map((f: any) => f.qty)).toEqual(['10', '10']);
    });

    it('test_pricing_rule_for_stock_qty: bounds 5–7 are stock units; 1 box of 5 gets 17.5% (82.5), 2 boxes none (100)', async () => {
      await item('EN-STOCKQTY');
      await rule('EN-STOCKQTY', { items: ['EN-STOCKQTY'], min_qty: '5', max_qty: '7', discount_percentage: '17.5' });
      const box = { uom: 'Box', conversion_factor: '5', rate: '100' };
      expect(await line('EN-STOCKQTY', '1', box)).toMatchObject({ discount_amount: '17.50', final_rate: '82.5' });
      expect(await line('EN-STOCKQTY', '2', box)).toMatchObject({ discount_amount: '0.00', final_rate: '100' });
    });

    it('test_item_price_with_blank_uom_pricing_rule: a rate per stock unit, 101 × 10 per Box = 1010; per Nos 101', async () => {
      await item('EN-BLANK-UOM');
      await rule('EN-BLANK-UOM', { items: ['EN-BLANK-UOM'], rate_or_discount: 'Rate', rate: '101' });
      expect(await line('EN-BLANK-UOM', '1', { uom: 'Box', conversion_factor: '10' })).toMatchObject({
        base_rate: '1010',
        final_rate: '1010',
      });
      expect(await line('EN-BLANK-UOM', '1', { uom: 'Nos' })).toMatchObject({ base_rate: '101', final_rate: '101' });
    });

    it('test_item_price_with_selling_uom_pricing_rule: a Box rule gives 101 per Box and leaves Nos at 100', async () => {
      await item('EN-BOX-UOM');
      await rule('EN-BOX-UOM', { items: ['EN-BOX-UOM'], uom: 'Box', rate_or_discount: 'Rate', rate: '101' });
      expect(await line('EN-BOX-UOM', '1', { uom: 'Box', conversion_factor: '10' })).toMatchObject({ base_rate: '101', final_rate: '101' });
      const nos = await line('EN-BOX-UOM', '1', { uom: 'Nos' });
      expect(nos).toMatchObject({ base_rate: '100', final_rate: '100' });
      expect(nos.pricing_rules_applied).toEqual([]);
    });

    it('test_item_group_price_with_blank_uom_pricing_rule and _with_selling_uom_: the same on an item group', async () => {
      await item('EN-GROUP-BLANK', { item_group: 'EN Blank UOM Group' });
      await item('EN-GROUP-BOX', { item_group: 'EN Box UOM Group' });
      await rule('EN-GROUP-BLANK', { apply_on: 'Item Group', apply_on_value: 'EN Blank UOM Group', rate_or_discount: 'Rate', rate: '101' });
      await rule('EN-GROUP-BOX', {
        apply_on: 'Item Group',
        apply_on_value: 'EN Box UOM Group',
        uom: 'Box',
        rate_or_discount: 'Rate',
        rate: '101',
      });
      const box = { uom: 'Box', conversion_factor: '10' };
      expect((await line('EN-GROUP-BLANK', '1', box)).final_rate).toBe('1010');
      expect((await line('EN-GROUP-BLANK', '1', { uom: 'Nos' })).final_rate).toBe('101');
      expect((await line('EN-GROUP-BOX', '1', box)).final_rate).toBe('101');
      expect((await line('EN-GROUP-BOX', '1', { uom: 'Nos' })).final_rate).toBe('100');
    });

    it('test_pricing_rule_for_different_currency: USD orders get the USD rule (2), INR orders the INR rule (100)', async () => {
      await item('EN-SANITIZER', { standard_rate: '0' });
      const base = { items: ['EN-SANITIZER'], rate_or_discount: 'Rate', margin_type: 'Percentage', margin_rate_or_amount: '0' };
      await rule('EN-SANITIZER-INR', { ...base, currency: 'INR', rate: '100', priority: 2 });
      await rule('EN-SANITIZER-USD', { ...base, currency: 'USD', rate: '2', priority: 1 });
      expect((await line('EN-SANITIZER', '1', {}, { currency: 'USD' })).base_rate).toBe('2');
      expect((await line('EN-SANITIZER', '1', {}, { currency: 'INR' })).base_rate).toBe('100');
    });

    it('test_pricing_rule_for_other_items_cond_with_amount: 200 of the item discounts the other item by 10', async () => {
      await item('EN-COND');
      await item('EN-OTHER');
      await rule('EN-COND', {
        items: ['EN-COND'],
        apply_rule_on_other: 'Item Code',
        other_item_code: 'EN-OTHER',
        min_amount: '200',
        discount_percentage: '10',
      });
      const below = await quote([
        { item_code: 'EN-COND', qty: '1' },
        { item_code: 'EN-OTHER', qty: '1' },
      ]);
      expect(below.pricing.map((l: any) => l.discount_amount)).toEqual(['0.00', '0.00']);
      const met = await quote([
        { item_code: 'EN-COND', qty: '2' },
        { item_code: 'EN-OTHER', qty: '1' },
      ]);
      expect(met.pricing.map((l: any) => [l.base_amount, l.discount_amount])).toEqual([
        ['200.00', '0.00'],
        ['100.00', '10.00'],
      ]);
    });

    it('test_remove_pricing_rule: 20% gives 80; with ignore_pricing_rule the rate is 100 and no discount', async () => {
      await item('EN-REMOVE');
      await rule('EN-REMOVE', { items: ['EN-REMOVE'], discount_percentage: '20' });
      expect(await line('EN-REMOVE', '1')).toMatchObject({ discount_amount: '20.00', final_rate: '80' });
      const ignored = await line('EN-REMOVE', '1', {}, { ignore_pricing_rule: true });
      expect(ignored).toMatchObject({ discount_percentage: '0', final_rate: '100', pricing_rules_applied: [] });
      expect(await line('EN-REMOVE', '1', { ignore_pricing_rule: true })).toMatchObject({ final_rate: '100' });
    });

    it('test_multiple_pricing_rules: 20% and 10%, both allowing multiple, give 30 off 100', async () => {
      await item('EN-MULTI');
      await rule('EN-MULTI-1', { items: ['EN-MULTI'], discount_percentage: '20', priority: 1, apply_multiple_pricing_rules: true });
      await rule('EN-MULTI-2', { items: ['EN-MULTI'], discount_percentage: '10', priority: 2, apply_multiple_pricing_rules: true });
      expect((await line('EN-MULTI', '1')).discount_amount).toBe('30.00');
    });

    it('test_multiple_pricing_rules_with_apply_discount_on_discounted_rate: 10% then 20% of the rest is 28', async () => {
      await item('EN-ONRATE');
      const common = { items: ['EN-ONRATE'], apply_multiple_pricing_rules: true, stacking: 'Compound' };
      await rule('EN-ONRATE-1', { ...common, discount_percentage: '20', priority: 2 });
      await rule('EN-ONRATE-2', { ...common, discount_percentage: '10', priority: 3 });
      expect((await line('EN-ONRATE', '1')).discount_amount).toBe('28.00');
    });

    it('test_apply_multiple_pricing_rules_for_discount_percentage_and_amount: 100 off and 10% of 1000 give 800', async () => {
      await item('EN-PCT-AMT', { standard_rate: '1000' });
      await rule('EN-PCT-AMT-1', { items: ['EN-PCT-AMT'], discount_percentage: '10', priority: 2, apply_multiple_pricing_rules: true });
      await rule('EN-PCT-AMT-2', {
        items: ['EN-PCT-AMT'],
        rate_or_discount: 'Discount Amount',
        discount_amount: '100',
        priority: 3,
        apply_multiple_pricing_rules: true,
        stacking: 'Compound',
      });
      expect(await line('EN-PCT-AMT', '1')).toMatchObject({ discount_amount: '200.00', final_rate: '800' });
    });

    it('test_priority_of_multiple_pricing_rules: only the priority-3 rule (20%) applies, 1000 → 800', async () => {
      await item('EN-PRIORITY', { standard_rate: '1000' });
      await rule('EN-PRIORITY-1', { items: ['EN-PRIORITY'], discount_percentage: '10', priority: 1 });
      await rule('EN-PRIORITY-3', { items: ['EN-PRIORITY'], discount_percentage: '20', priority: 3 });
      const erpnext = await line('EN-PRIORITY', '1');
      expect(erpnext).toMatchObject({ discount_amount: '200.00', final_rate: '800' });
      expect(erpnext.pricing_rules_skipped.map((s: any) => s.rule_code)).toEqual(['EN-PRIORITY-1']);
      // The stacking model (the default) adds both Additive rules: the difference ADR 0308 records.
      expect((await line('EN-PRIORITY', '1', {}, { rule_selection: 'stacking' })).final_rate).toBe('700');
    });

    it('test_multiple_pricing_rules_with_min_qty: below min_qty 4 nothing; at 5, 30 off per unit', async () => {
      await item('EN-MINQTY');
      const common = { items: ['EN-MINQTY'], min_qty: '4', apply_multiple_pricing_rules: true };
      await rule('EN-MINQTY-1', { ...common, discount_percentage: '20', priority: 1 });
      await rule('EN-MINQTY-2', { ...common, discount_percentage: '10', priority: 2 });
      expect((await line('EN-MINQTY', '1')).discount_percentage).toBe('0');
      expect(await line('EN-MINQTY', '5')).toMatchObject({ base_rate: '100', final_rate: '70', discount_amount: '150.00' });
    });

    it('test_margin_amount_reset_when_margin_type_removed: removing the margin type resets the margin to 0', async () => {
      await item('EN-RESET');
      await rule('EN-RESET', { items: ['EN-RESET'], margin_type: 'Percentage', margin_rate_or_amount: '10', discount_percentage: '5' });
      const patched = await ok(h.call('PATCH', '/pricing/rules/EN-RESET', { margin_type: null }));
      expect(patched).toMatchObject({ margin_type: null, margin_rate_or_amount: '0' });
      expect(await line('EN-RESET', '1')).toMatchObject({ rate_with_margin: '100', final_rate: '95' });
    });

    it('test_ignore_pricing_rule_for_credit_note: a credit note keeps the invoice rate 80 after the rule changed to 30%', async () => {
      await item('EN-CREDIT');
      await rule('EN-CREDIT', { items: ['EN-CREDIT'], discount_percentage: '20', priority: 1 });
      const invoice = await line('EN-CREDIT', '1');
      expect(invoice.final_rate).toBe('80');
      await ok(h.call('PATCH', '/pricing/rules/EN-CREDIT', { discount_percentage: '30' }));
      // ERPNext's return copies the invoice rows and sets ignore_pricing_rule: the same here.
      const credit = await line('EN-CREDIT', '1', { rate: invoice.final_rate }, { is_return: true, ignore_pricing_rule: true });
      expect(credit).toMatchObject({ qty: '-1', final_rate: '80', final_amount: '-80.00', pricing_rules_applied: [] });
    });
  });

  describe(`${target.label}: the extended rule fields through the API`, () => {
    let h: Harness;
    const rule = (code: string, body: Record<string, unknown>) => pricingRule(h, code, body);
    const refused = async (body: Record<string, unknown>, code = 'PRICING_RULE_INVALID') => {
      const response = await h.call('POST', '/pricing/rules', {
        rule_code: 'X-BAD',
        rule_name: 'bad',
        rule_type: 'Promotional',
        valid_from: '2026-01-01',
        apply_on: 'All Items',
        applicable_for: 'All Customers',
        ...body,
      });
      expect([response.statusCode, response.json().code]).toEqual([400, code]);
    };

    beforeAll(async () => {
      h = await startHarness(target);
      await ok(h.call('POST', '/items', { item_code: 'X-BOX', item_group: 'X', standard_rate: '10', stock_uom: 'Nos' }), 201);
    });
    afterAll(async () => h.close());

    it('refuses combinations the model cannot price, each with PRICING_RULE_INVALID', async () => {
      await refused({ price_or_product_discount: 'Product', is_recursive: true });
      await refused({ price_or_product_discount: 'Product', margin_type: 'Amount', margin_rate_or_amount: '5' });
      await refused({ price_or_product_discount: 'Product', apply_rule_on_other: 'Item Code', other_item_code: 'X-BOX' });
      await refused({ discount_percentage: '5', apply_rule_on_other: 'Item Group' });
      await refused({ margin_type: 'Percentage', margin_rate_or_amount: '1000.5' });
      await refused({ discount_percentage: '5', currency: 'inr' }, 'REQUEST_VALIDATION_FAILED');
    });

    it('reads back, switches kind by patch, and logs a product rule when the order is priced for real', async () => {
      const created = await rule('X-FREE', {
        items: ['X-BOX'],
        price_or_product_discount: 'Product',
        is_recursive: true,
        recurse_for: '3',
        round_free_qty: true,
        uom: 'Nos',
        currency: 'INR',
      });
      expect(created).toMatchObject({ price_or_product_discount: 'Product', free_item: null, free_qty: '1', recurse_for: '3', uom: 'Nos' });
      const priced = await ok(
        h.call('POST', '/pricing/calculate', {
          currency: 'INR',
          items: [{ item_code: 'X-BOX', qty: '7', uom: 'Nos' }],
          reference_name: 'SO-X1',
        }),
      );
      expect([priced.free_items.map((f: any) => f.qty), priced.logged_applications]).toEqual([['2'], 1]);
      const back = await ok(
        h.call('POST', '/pricing/calculate', {
          currency: 'INR',
          is_return: true,
          items: [{ item_code: 'X-BOX', qty: '7' }],
          dry_run: true,
        }),
      );
      expect([back.pricing[0].final_amount, back.free_items[0].qty]).toEqual(['-70.00', '-2']);
      const price = await ok(h.call('PATCH', '/pricing/rules/X-FREE', { price_or_product_discount: 'Price', discount_percentage: '10' }));
      expect(price).toMatchObject({ price_or_product_discount: 'Price', is_recursive: false, free_qty: '0', recurse_for: '0' });
    });

    it('needs a conversion factor for a line in a unit other than the stock UoM', async () => {
      const response = await h.call('POST', '/pricing/calculate', { items: [{ item_code: 'X-BOX', qty: '1', uom: 'Box' }], dry_run: true });
      expect([response.statusCode, response.json().code]).toEqual([400, 'PRICING_REQUEST_INVALID']);
    });
  });
}
