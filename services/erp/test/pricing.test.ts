import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, testDatabases } from '@tributary/platform/testing';
import { buildApp } from '../src/app.js';
import { erpContext, type Harness, pricingRule, masters, ok, outboxTypes, startHarness } from './harness.js';
import { asTables } from '@tributary/platform/db';
import type { ErpDatabase } from '../src/db/schema.js';

const TIERS = [
  { min_quantity: '1', max_quantity: '10', discount_type: 'Percentage', discount_percentage: '5' },
  { min_quantity: '11', max_quantity: '50', discount_type: 'Percentage', discount_percentage: '10' },
  { min_quantity: '51', discount_type: 'Percentage', discount_percentage: '15' },
];

for (const target of testDatabases()) {
  describe(`${target.label}: dynamic pricing`, () => {
    let h: Harness;
    const rule = (code: string, body: Record<string, unknown>) => pricingRule(h, code, body);
    const item = (code: string, extra: Record<string, unknown> = {}) =>
      ok(h.call('POST', '/items', { item_code: code, item_group: 'Test', standard_rate: '100', ...extra }), 201);
    const quote = async (items: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
      ok(h.call('POST', '/pricing/calculate', { items, dry_run: true, ...extra }));
    const line = async (code: string, qty: string, extra: Record<string, unknown> = {}) =>
      (await quote([{ item_code: code, qty }], extra)).pricing[0];

    beforeAll(async () => {
      h = await startHarness(target);
      await masters(h);
      await ok(h.call('POST', '/segments', { segment_code: 'WHOLESALE', segment_name: 'Wholesale', segment_type: 'demographic' }), 201);
      await ok(h.call('POST', '/customers/C-WHOLE/segments', { segment: 'WHOLESALE', is_primary: true }), 201);
      await ok(h.call('POST', '/customers/C-WHOLE/territories', { territory: 'Mysuru' }), 201);
    });
    afterAll(async () => h.close());

    it('whole-quantity tiers give the documented 5% / 10% / 15% on base 100', async () => {
      await item('TIER-W');
      await rule('TIER-WHOLE', { rule_type: 'Volume Discount', items: ['TIER-W'], tier_mode: 'Whole Quantity', slabs: TIERS });
      const result = await quote(['1', '10', '11', '50', '51', '120', '10.5'].map((qty) => ({ item_code: 'TIER-W', qty })));
      expect(result.pricing.map((l: any) => l.final_rate)).toEqual(['95', '95', '90', '90', '85', '85', '90']);
      const at51 = result.pricing[4];
      expect(at51).toMatchObject({ base_amount: '5100.00', discount_amount: '765.00', final_amount: '4335.00', discount_percentage: '15' });
      expect(at51.pricing_rules_applied[0]).toMatchObject({ rule_code: 'TIER-WHOLE', detail: 'slab 51+ units on all 51' });
      expect(result.totalBeforeDiscount).toBe('25350.00');
    });

    it('cumulative tiers price each band at its own slab', async () => {
      await item('TIER-C');
      await rule('TIER-CUMUL', { items: ['TIER-C'], tier_mode: 'Cumulative', slabs: TIERS });
      const result = await quote(['10', '20', '60'].map((qty) => ({ item_code: 'TIER-C', qty })));
      expect(result.pricing.map((l: any) => [l.discount_amount, l.final_amount, l.final_rate])).toEqual([
        ['50.00', '950.00', '95'],
        ['150.00', '1850.00', '92.5'],
        ['600.00', '5400.00', '90'],
      ]);
    });

    it('evaluates time-of-day and weekday windows on the plant clock, across the UTC offset', async () => {
      await item('HAPPY');
      await rule('HAPPY-HOUR', {
        items: ['HAPPY'],
        days_of_week: ['Tuesday'],
        time_from: '17:00',
        time_to: '19:00',
        discount_percentage: '20',
      });
      await item('MIDNIGHT');
      await rule('MIDNIGHT-WED', {
        items: ['MIDNIGHT'],
        days_of_week: ['Wednesday'],
        time_from: '00:00',
        time_to: '02:00',
        discount_percentage: '30',
      });
      await item('LATE');
      await rule('LATE-NIGHT', { items: ['LATE'], time_from: '22:00', time_to: '02:00', discount_percentage: '10' });
      const rate = async (code: string, at: string) => (await line(code, '1', { at })).final_rate;
      // 17:00 and 19:00 IST are 11:30 and 13:30 UTC on the same day; the window is [17:00, 19:00).
      expect(await rate('HAPPY', '2026-03-10T11:29:59Z')).toBe('100');
      expect(await rate('HAPPY', '2026-03-10T11:30:00Z')).toBe('80');
      expect(await rate('HAPPY', '2026-03-10T17:00:00+05:30')).toBe('80');
      expect(await rate('HAPPY', '2026-03-10T13:29:59Z')).toBe('80');
      expect(await rate('HAPPY', '2026-03-10T13:30:00Z')).toBe('100');
      expect(await rate('HAPPY', '2026-03-11T12:00:00Z')).toBe('100'); // Wednesday
      // 18:30 UTC on Tuesday is already 00:00 on Wednesday in the plant.
      expect(await rate('MIDNIGHT', '2026-03-10T18:29:59Z')).toBe('100');
      expect(await rate('MIDNIGHT', '2026-03-10T18:30:00Z')).toBe('70');
      expect(await rate('MIDNIGHT', '2026-03-10T20:29:59Z')).toBe('70');
      expect(await rate('MIDNIGHT', '2026-03-10T20:30:00Z')).toBe('100');
      // A window that wraps midnight.
      expect(await rate('LATE', '2026-03-10T16:29:59Z')).toBe('100');
      expect(await rate('LATE', '2026-03-10T16:30:00Z')).toBe('90');
      expect(await rate('LATE', '2026-03-10T20:00:00Z')).toBe('90');
      expect(await rate('LATE', '2026-03-10T20:30:00Z')).toBe('100');
    });

    it('validity starts at plant-local midnight; seasons and festivals are inclusive calendar days', async () => {
      await item('VALID');
      await rule('VALID-FROM', { items: ['VALID'], valid_from: '2026-03-12', valid_to: '2026-03-14', discount_percentage: '10' });
      const rate = async (code: string, at: string) => (await line(code, '1', { at })).final_rate;
      expect(await rate('VALID', '2026-03-11T18:29:59Z')).toBe('100');
      expect(await rate('VALID', '2026-03-11T18:30:00Z')).toBe('90');
      expect(await rate('VALID', '2026-03-13T18:29:59Z')).toBe('90');
      expect(await rate('VALID', '2026-03-13T18:30:00Z')).toBe('100');
      await item('DIWALI');
      await rule('DIWALI', {
        rule_type: 'Festival',
        items: ['DIWALI'],
        valid_from: '2026-01-01',
        festival_name: 'Diwali',
        festival_from: '2026-11-06',
        festival_to: '2026-11-10',
        discount_percentage: '25',
      });
      expect(await rate('DIWALI', '2026-11-05T18:29:59Z')).toBe('100');
      expect(await rate('DIWALI', '2026-11-05T18:30:00Z')).toBe('75');
      expect(await rate('DIWALI', '2026-11-10T18:29:59Z')).toBe('75');
      expect(await rate('DIWALI', '2026-11-10T18:30:00Z')).toBe('100');
      await item('WINTER');
      await rule('WINTER', {
        rule_type: 'Seasonal',
        items: ['WINTER'],
        season_start: '12-20',
        season_end: '01-05',
        discount_percentage: '10',
      });
      expect(await rate('WINTER', '2026-12-19T12:00:00Z')).toBe('100');
      expect(await rate('WINTER', '2026-12-31T12:00:00Z')).toBe('90');
      expect(await rate('WINTER', '2027-01-05T12:00:00Z')).toBe('90');
      expect(await rate('WINTER', '2027-01-06T12:00:00Z')).toBe('100');
    });

    it('stacks by policy with a deterministic precedence: exclusive, additive, compound', async () => {
      await item('STACK', { brand: 'Acme' });
      await rule('S-ADD-10', { items: ['STACK'], priority: 30, discount_percentage: '10', stacking: 'Additive' });
      await rule('S-ADD-5', { items: ['STACK'], priority: 20, discount_percentage: '5', stacking: 'Additive' });
      let result = await line('STACK', '1');
      expect(result.final_rate).toBe('85');
      await rule('S-COMP-10', { items: ['STACK'], priority: 10, discount_percentage: '10', stacking: 'Compound' });
      result = await line('STACK', '1');
      // 100 − 10 − 5 = 85, then 10% of the running 85.
      expect(result.final_rate).toBe('76.5');
      expect(result.pricing_rules_applied.map((r: any) => [r.rule_code, r.basis])).toEqual([
        ['S-ADD-10', 'base'],
        ['S-ADD-5', 'base'],
        ['S-COMP-10', 'running'],
      ]);
      // A lower-precedence exclusive rule is skipped; a top one stops the walk.
      await rule('S-EXCL-LOW', { items: ['STACK'], priority: 5, discount_percentage: '50', stacking: 'Exclusive' });
      expect((await line('STACK', '1')).pricing_rules_skipped).toEqual([
        { rule_code: 'S-EXCL-LOW', reason: 'exclusive, but higher-precedence rules already applied' },
      ]);
      await rule('S-EXCL-TOP', { items: ['STACK'], priority: 40, discount_percentage: '30', stacking: 'Exclusive' });
      result = await line('STACK', '1');
      expect(result.final_rate).toBe('70');
      expect(result.pricing_rules_applied.map((r: any) => r.rule_code)).toEqual(['S-EXCL-TOP']);
      expect(result.pricing_rules_skipped.map((r: any) => r.rule_code)).toEqual(['S-ADD-10', 'S-ADD-5', 'S-COMP-10', 'S-EXCL-LOW']);
    });

    it('breaks priority ties by specificity, then by rule code', async () => {
      await item('TIE', { brand: 'TieBrand', item_group: 'TieGroup' });
      await rule('T-B-GROUP', {
        apply_on: 'Item Group',
        apply_on_value: 'TieGroup',
        items: undefined,
        priority: 7,
        rate_or_discount: 'Rate',
        rate: '90',
        stacking: 'Compound',
      });
      await rule('T-Z-ITEM', { items: ['TIE'], priority: 7, rate_or_discount: 'Rate', rate: '80', stacking: 'Compound' });
      await rule('T-A-BRAND', {
        apply_on: 'Brand',
        apply_on_value: 'TieBrand',
        items: undefined,
        priority: 7,
        rate_or_discount: 'Discount Amount',
        discount_amount: '5',
        stacking: 'Compound',
      });
      await rule('T-A-ITEM', {
        items: ['TIE'],
        priority: 7,
        rate_or_discount: 'Discount Amount',
        discount_amount: '1',
        stacking: 'Compound',
      });
      const result = await line('TIE', '1');
      expect(result.pricing_rules_applied.map((r: any) => r.rule_code)).toEqual(['T-A-ITEM', 'T-Z-ITEM', 'T-B-GROUP', 'T-A-BRAND']);
      // 100 −1 → 99; rate 80; rate 90 does not raise it; −5 → 75.
      expect(result.final_rate).toBe('75');
      const again = await line('TIE', '1');
      expect(again).toEqual(result);
    });

    it('applies rate, amount, caps, rounding and quantity/amount bounds', async () => {
      await item('CAP');
      await rule('CAP-50', { items: ['CAP'], discount_percentage: '50', max_discount_amount: '100' });
      expect((await line('CAP', '10')).final_amount).toBe('900.00');
      await item('ROUND', { standard_rate: '99' });
      await rule('ROUND-7', { items: ['ROUND'], discount_percentage: '7', round_to_nearest: '0.5' });
      expect((await line('ROUND', '3')).final_rate).toBe('92');
      await item('AMT');
      await rule('AMT-15', { items: ['AMT'], rate_or_discount: 'Discount Amount', discount_amount: '15', min_qty: '5', max_qty: '10' });
      const rates = await quote(['4', '5', '10', '11'].map((qty) => ({ item_code: 'AMT', qty })));
      expect(rates.pricing.map((l: any) => l.final_rate)).toEqual(['100', '85', '85', '100']);
      await item('BIG');
      await rule('BIG-ORDER', { items: ['BIG'], discount_percentage: '10', min_amount: '1000' });
      expect((await line('BIG', '9')).final_rate).toBe('100');
      expect((await line('BIG', '10')).final_rate).toBe('90');
    });

    it('matches customer, group, segment, territory, brand and group scopes', async () => {
      await item('SCOPE', { brand: 'ScopeBrand', item_group: 'ScopeGroup' });
      await rule('SC-CUST', { items: ['SCOPE'], applicable_for: 'Customer', applicable_for_value: 'C-RETAIL', discount_percentage: '1' });
      await rule('SC-GROUP', {
        items: ['SCOPE'],
        applicable_for: 'Customer Group',
        applicable_for_value: 'Wholesale',
        discount_percentage: '2',
      });
      await rule('SC-SEG', {
        apply_on: 'Brand',
        apply_on_value: 'ScopeBrand',
        items: undefined,
        applicable_for: 'Customer Segment',
        applicable_for_value: 'WHOLESALE',
        discount_percentage: '3',
      });
      await rule('SC-TERR', {
        apply_on: 'Item Group',
        apply_on_value: 'ScopeGroup',
        items: undefined,
        applicable_for: 'Territory',
        applicable_for_value: 'Mysuru',
        discount_percentage: '4',
      });
      const codes = async (customer?: string) =>
        (await line('SCOPE', '1', customer ? { customer } : {})).pricing_rules_applied.map((r: any) => r.rule_code).sort();
      expect(await codes('C-RETAIL')).toEqual(['SC-CUST']);
      expect(await codes('C-WHOLE')).toEqual(['SC-GROUP', 'SC-SEG', 'SC-TERR']);
      expect(await codes()).toEqual([]);
      // A segment's discount is priced as its SEG-{code} rule, and follows the segment.
      await ok(h.call('PATCH', '/segments/WHOLESALE', { discount_percentage: '7.5' }));
      const withSegment = await line('SCOPE', '1', { customer: 'C-WHOLE' });
      expect(withSegment.pricing_rules_applied.map((r: any) => r.rule_code).sort()).toEqual([
        'SC-GROUP',
        'SC-SEG',
        'SC-TERR',
        'SEG-WHOLESALE',
      ]);
      expect(withSegment.final_rate).toBe('83.5');
      await ok(h.call('PATCH', '/segments/WHOLESALE', { discount_percentage: '0' }));
      expect((await ok(h.call('GET', '/pricing/rules/SEG-WHOLESALE'))).is_active).toBe(false);
      expect(await codes('C-WHOLE')).toEqual(['SC-GROUP', 'SC-SEG', 'SC-TERR']);
      const unknown = await quote(
        [
          { item_code: 'NOT-AN-ITEM', qty: '2', rate: '10' },
          { item_code: 'NOR-THIS', qty: '1' },
        ],
        { customer: 'NOBODY' },
      );
      expect(unknown.success).toBe(true);
      expect(unknown.known_customer).toBe(false);
      expect(unknown.pricing.map((l: any) => [l.unknown_item, l.final_amount])).toEqual([
        [true, '20.00'],
        [true, '0.00'],
      ]);
    });

    it('honours coupons and their usage limit, also under concurrency; dry runs use nothing', async () => {
      await item('CPN');
      await rule('CPN-RULE', { items: ['CPN'], discount_percentage: '10', requires_coupon: true, coupon_code: 'SAVE10', usage_limit: 3 });
      expect((await line('CPN', '1')).final_rate).toBe('100');
      expect((await line('CPN', '1', { coupon_codes: ['SAVE10'] })).final_rate).toBe('90');
      const calls = await Promise.all(
        Array.from({ length: 6 }, () =>
          h.call('POST', '/pricing/calculate', { items: [{ item_code: 'CPN', qty: '1' }], coupon_codes: ['SAVE10'] }),
        ),
      );
      const applied = calls.map((c) => c.json()).filter((b) => b.coupons_applied.includes('SAVE10'));
      expect(applied).toHaveLength(3);
      const stored = await ok(h.call('GET', '/pricing/rules/CPN-RULE'));
      expect(stored.used_count).toBe(3);
      expect(stored.rule_status).toBe('Expired');
      expect(
        (
          await h.call('POST', '/pricing/rules', {
            rule_code: 'CPN-DUP',
            rule_name: 'dup',
            rule_type: 'Promotional',
            valid_from: '2026-01-01',
            apply_on: 'All Items',
            applicable_for: 'All Customers',
            discount_percentage: '5',
            requires_coupon: true,
            coupon_code: 'SAVE10',
          })
        ).json().code,
      ).toBe('COUPON_CODE_TAKEN');
    });

    it('logs every application with the evaluated price snapshot and emits events', async () => {
      await item('LOG-A');
      await item('LOG-B');
      await rule('LOG-10', { items: ['LOG-A', 'LOG-B'], discount_percentage: '10' });
      await rule('LOG-2', { items: ['LOG-A'], discount_amount: '2', rate_or_discount: 'Discount Amount', stacking: 'Compound' });
      const result = await ok(
        h.call('POST', '/pricing/calculate', {
          customer: 'C-RETAIL',
          items: [
            { item_code: 'LOG-A', qty: '3' },
            { item_code: 'LOG-B', qty: '1', warehouse: 'WH-A' },
          ],
          reference_doctype: 'Sales Order',
          reference_name: 'SO-0001',
        }),
      );
      expect(result.logged_applications).toBe(3);
      const rows = await asTables<ErpDatabase>(h.handle.database.db)
        .selectFrom('tabHD Pricing Rule Application')
        .selectAll()
        .where('applied_on_name', '=', 'SO-0001')
        .orderBy('line_no')
        .orderBy('pricing_rule')
        .execute();
      expect(rows.map((r: any) => [r.pricing_rule, r.line_no])).toEqual([
        ['LOG-10', 1],
        ['LOG-2', 1],
        ['LOG-10', 2],
      ]);
      const snapshot = JSON.parse(rows[0]!.price_snapshot);
      expect(snapshot.line).toMatchObject({ item_code: 'LOG-A', base_rate: '100', final_rate: '88', final_amount: '264.00' });
      expect(snapshot.line.rules.map((r: any) => [r.rule_code, r.discount_amount])).toEqual([
        ['LOG-10', '30'],
        ['LOG-2', '6'],
      ]);
      expect(snapshot.plant_time).toMatchObject({ date: '2026-03-10', time: '12:00:00', weekday: 'Tuesday' });
      expect(rows[0]!.applied_on_doctype).toBe('Sales Order');
      const analytics = await ok(h.call('GET', '/pricing/rules/LOG-10/analytics'));
      expect(analytics).toMatchObject({ usage_count: 2, total_discount_given: '40' });
      const types = await outboxTypes(h);
      expect(types).toContain('erp.pricing.applied');
      expect(types).toContain('erp.pricing_rule.created');
    });

    it('refuses malformed orders with a 4xx and logs nothing', async () => {
      const before = (await h.handle.database.db.selectFrom('tabHD Pricing Rule Application').select('name').execute()).length;
      const bad = async (body: unknown) => (await h.call('POST', '/pricing/calculate', body)).statusCode;
      expect(await bad({ items: [] })).toBe(400);
      expect(await bad({ items: [{ item_code: 'TIER-W', qty: '0' }] })).toBe(400);
      expect(await bad({ items: [{ item_code: 'TIER-W', qty: '1e3' }] })).toBe(400);
      expect(await bad({ items: [{ item_code: 'TIER-W', qty: 5 }] })).toBe(400);
      expect(await bad({ items: Array.from({ length: 501 }, () => ({ item_code: 'TIER-W', qty: '1' })) })).toBe(400);
      expect(await bad({ items: [{ item_code: "x' or 1=1 --", qty: '1' }], customer: "'; drop table tabCustomer; --" })).toBe(200);
      const at = await h.call('POST', '/pricing/calculate', { at: '2026-03-10 12:00:00', items: [{ item_code: 'TIER-W', qty: '1' }] });
      expect(at.statusCode).toBe(400);
      expect(at.json().code).toBe('PRICING_REQUEST_INVALID');
      expect((await h.handle.database.db.selectFrom('tabHD Pricing Rule Application').select('name').execute()).length).toBe(before + 0);
      expect((await ok(h.call('GET', '/customers/C-RETAIL'))).name).toBe('C-RETAIL');
    });

    it('a rule changed through one replica is priced by another at once', async () => {
      const other = await buildApp(erpContext(h.handle.database, h.clock), { masterKeys: h.masterKeys });
      try {
        await item('REPLICA');
        const viaOther = async () =>
          (
            await signedInject(other, {
              method: 'POST',
              url: '/pricing/calculate',
              body: { dry_run: true, items: [{ item_code: 'REPLICA', qty: '1' }] },
              identity: { user: 'order-desk', roles: ['integration'] },
            })
          ).json().pricing[0].final_rate;
        expect(await viaOther()).toBe('100');
        await rule('REPLICA-10', { items: ['REPLICA'], discount_percentage: '10' });
        expect(await viaOther()).toBe('90');
        await ok(h.call('PATCH', '/pricing/rules/REPLICA-10', { discount_percentage: '20' }));
        expect(await viaOther()).toBe('80');
      } finally {
        await other.close();
      }
    });

    it('validates rules, updates them as a whole and stops applying a deactivated one', async () => {
      const code = async (body: Record<string, unknown>) =>
        (
          await h.call('POST', '/pricing/rules', {
            rule_code: 'BAD',
            rule_name: 'bad',
            rule_type: 'Promotional',
            valid_from: '2026-01-01',
            apply_on: 'All Items',
            applicable_for: 'All Customers',
            discount_percentage: '5',
            ...body,
          })
        ).json().code;
      expect(await code({ valid_to: '2025-12-31' })).toBe('PRICING_RULE_INVALID');
      expect(await code({ tier_mode: 'Whole Quantity', slabs: [TIERS[0], { ...TIERS[1], min_quantity: '10' }] })).toBe(
        'PRICING_RULE_INVALID',
      );
      expect(await code({ apply_on: 'Item Code' })).toBe('PRICING_RULE_INVALID');
      expect(await code({ applicable_for: 'Customer' })).toBe('PRICING_RULE_INVALID');
      expect(await code({ time_from: '10:00' })).toBe('PRICING_RULE_INVALID');
      expect(await code({ discount_percentage: '0' })).toBe('PRICING_RULE_INVALID');
      expect(await code({ valid_from: '2026-01-01T10:00:00' })).toBe('PRICING_REQUEST_INVALID');
      expect(
        (
          await h.call('POST', '/pricing/rules', {
            rule_name: 'x',
            rule_type: 'Promotional',
            valid_from: '2026-01-01',
            apply_on: 'All Items',
            applicable_for: 'All Customers',
            discount_percentage: '101',
          })
        ).statusCode,
      ).toBe(400);
      expect((await ok(h.call('GET', '/pricing/rules?rule_type=Promotional&limit=500'))).data.some((r: any) => r.rule_code === 'BAD')).toBe(
        false,
      );

      await item('UPD');
      const created = await rule('UPD-RULE', { items: ['UPD'], discount_percentage: '10', priority: 9 });
      expect(created.version).toBe(1);
      const auto = await ok(
        h.call('POST', '/pricing/rules', {
          rule_name: 'auto',
          rule_type: 'Clearance',
          valid_from: '2026-01-01',
          apply_on: 'All Items',
          applicable_for: 'Customer',
          applicable_for_value: 'NOBODY',
          discount_percentage: '1',
        }),
        201,
      );
      expect(auto.rule_code).toBe('CLEA-20260310-001');
      const patched = await ok(h.call('PATCH', '/pricing/rules/UPD-RULE', { rule_name: 'renamed' }));
      expect(patched).toMatchObject({ rule_name: 'renamed', priority: 9, discount_percentage: '10', version: 2, items: ['UPD'] });
      expect((await h.call('PATCH', '/pricing/rules/UPD-RULE', { max_qty: '0.5', min_qty: '1' })).json().code).toBe('PRICING_RULE_INVALID');
      expect((await line('UPD', '1')).final_rate).toBe('90');
      const off = await ok(h.call('POST', '/pricing/rules/UPD-RULE/deactivate'));
      expect(off.rule_status).toBe('Inactive');
      expect((await line('UPD', '1')).final_rate).toBe('100');
      const deactivations = await h.handle.database.db
        .selectFrom('outbox')
        .select('aggregate_id')
        .where('type', '=', 'erp.pricing_rule.deactivated')
        .where('aggregate_id', '=', 'UPD-RULE')
        .execute();
      expect(deactivations).toHaveLength(1);
      expect((await ok(h.call('GET', '/pricing/rules?item_code=UPD'))).data.map((r: any) => r.rule_code)).toEqual(['UPD-RULE']);
    });
  });
}
