import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, testDatabases } from '@tributary/platform/testing';
import { assignSegment, createSegment, type Harness, pricingRule, masters, ok, receive, startHarness } from './harness.js';

/**
 * Pricing effectiveness reads the pricing log that real (not dry-run) calculations write; segment
 * revenue reads the processed orders (May and June, so the log of March and April stays the
 * calculations'). Every expected figure follows from the lines: SWEET-1 at 100 with 10% off,
 * CHOC-1 at 200 with 5 off per unit, PLAIN-1 at 50 with no rule.
 */
for (const target of testDatabases()) {
  describe(`${target.label}: pricing reports`, () => {
    let h: Harness;
    let wholesale: string;
    const price = (customer: string, reference: string, items: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
      ok(h.call('POST', '/pricing/calculate', { customer, reference_doctype: 'Sales Order', reference_name: reference, items, ...extra }));
    const report = (path: string, role = 'analyst', headers?: Record<string, string>) =>
      signedInject(h.app, { method: 'GET', url: path, identity: { user: 'reader', roles: [role] }, ...(headers ? { headers } : {}) });

    beforeAll(async () => {
      h = await startHarness(target);
      await masters(h);
      wholesale = (await createSegment(h, 'WHOLESALE', 'Wholesale', 'demographic')).name;
      await assignSegment(h, 'C-WHOLE', {
        segment: wholesale,
        is_primary: true,
        assignment_date: '2026-03-01',
        effective_from: '2026-03-01',
      });
      const rule = (code: string, body: Record<string, unknown>) => pricingRule(h, code, { rule_name: `${code} promotion`, ...body });
      await rule('SWEET-10', { items: ['SWEET-1'], discount_percentage: '10' });
      await rule('CHOC-5', { items: ['CHOC-1'], rate_or_discount: 'Discount Amount', discount_amount: '5' });

      // 10 March: Q1 (wholesale: 180 + 195, discounts 20 + 5, PLAIN-1 unlogged), Q2 (retail: 90, discount 10).
      const q1 = [
        { item_code: 'SWEET-1', qty: '2' },
        { item_code: 'CHOC-1', qty: '1' },
        { item_code: 'PLAIN-1', qty: '1' },
      ];
      await price('C-WHOLE', 'Q1', q1);
      await price('C-RETAIL', 'Q2', [{ item_code: 'SWEET-1', qty: '1' }]);
      // Q1 priced again the same day: the report counts its latest pricing once.
      await price('C-WHOLE', 'Q1', q1);
      // 2 April: Q3 (wholesale: 900, discount 100) and a return R1 of one SWEET-1 (−90, discount −10).
      h.clock.set(Date.parse('2026-04-02T06:30:00Z'));
      await price('C-WHOLE', 'Q3', [{ item_code: 'SWEET-1', qty: '10' }]);
      await price('C-WHOLE', 'R1', [{ item_code: 'SWEET-1', qty: '1' }], { is_return: true });
      // A dry run logs nothing, so it is in no report.
      await ok(h.call('POST', '/pricing/calculate', { customer: 'C-WHOLE', items: [{ item_code: 'SWEET-1', qty: '50' }], dry_run: true }));

      for (const [item, qty] of [
        ['SWEET-1', '20'],
        ['CHOC-1', '5'],
        ['PLAIN-1', '5'],
      ])
        await ok(receive(h, { batch_id: `R-${item}`, item, qty, expiry_date: '2026-12-31' }), 201);
      const order = (customer: string, items: [string, string][]) =>
        ok(
          h.call('POST', '/orders/process', {
            customer,
            set_warehouse: 'WH-A',
            items: items.map(([item_code, qty]) => ({ item_code, qty })),
          }),
          201,
        );
      // 5 May: O1 (wholesale: 180 + 195 + 50, rules on two lines), O2 (retail: 100, no rule), O3 cancelled.
      h.clock.set(Date.parse('2026-05-05T06:30:00Z'));
      await order('C-WHOLE', [
        ['SWEET-1', '2'],
        ['CHOC-1', '1'],
        ['PLAIN-1', '1'],
      ]);
      await order('C-RETAIL', [['PLAIN-1', '2']]);
      const cancelled = await order('C-RETAIL', [['SWEET-1', '1']]);
      await ok(h.call('POST', `/orders/${cancelled.order_id}/cancel`, { reason: 'test' }));
      // 2 June: O4 (wholesale: 900, discount 100).
      h.clock.set(Date.parse('2026-06-02T06:30:00Z'));
      await order('C-WHOLE', [['SWEET-1', '10']]);
    });
    afterAll(async () => h.close());

    it("gives monthly revenue per segment from every processed order line, with the rules' impact beside it", async () => {
      const response = await report('/reports/segment-revenue?from=2026-05-01&to=2026-06-30');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ from: '2026-05-01', to: '2026-06-30', time_zone: 'Asia/Kolkata' });
      const figures = (orders: number, lines: number, revenue: string, discount: string, ruleLines: number) => ({
        orders,
        lines,
        revenue,
        discount,
        rule_lines: ruleLines,
        rule_discount: discount,
      });
      expect(body.rows).toEqual([
        { month: '2026-05', segment: '(none)', segment_code: '(none)', ...figures(1, 1, '100', '0', 0) },
        { month: '2026-05', segment: wholesale, segment_code: 'WHOLESALE', ...figures(1, 3, '425', '25', 2) },
        { month: '2026-06', segment: wholesale, segment_code: 'WHOLESALE', ...figures(1, 1, '900', '100', 1) },
      ]);
      expect(body.totals).toEqual(figures(3, 5, '1425', '125', 3));
      // Quotes priced by /pricing/calculate are not orders: March and April have none.
      expect((await report('/reports/segment-revenue?from=2026-03-01&to=2026-04-30')).json().rows).toEqual([]);
    });

    it('gives per rule applications, documents, discount and revenue touched', async () => {
      const body = (await report('/reports/pricing-effectiveness?from=2026-03-01&to=2026-04-30', 'manager')).json();
      expect(body.rows).toEqual([
        {
          rule: 'CHOC-5',
          rule_code: 'CHOC-5',
          rule_name: 'CHOC-5 promotion',
          applications: 2,
          orders: 1,
          total_discount: '10',
          revenue_affected: '390',
          discount_per_application: '5',
          discount_share: '2.5',
        },
        {
          rule: 'SWEET-10',
          rule_code: 'SWEET-10',
          rule_name: 'SWEET-10 promotion',
          applications: 5,
          orders: 4,
          total_discount: '140',
          revenue_affected: '1260',
          discount_per_application: '28',
          discount_share: '10',
        },
      ]);
      expect(body.totals).toEqual({ applications: 7, total_discount: '150', revenue_affected: '1650' });
      const april = (await report('/reports/pricing-effectiveness?from=2026-04-01&to=2026-04-30')).json();
      expect(april.rows.map((r: any) => [r.rule_code, r.applications, r.total_discount])).toEqual([['SWEET-10', 2, '90']]);
    });

    it('answers CSV for format=csv or an Accept header preferring it', async () => {
      const byQuery = await report('/reports/pricing-effectiveness?from=2026-03-01&to=2026-04-30&format=csv');
      expect(byQuery.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(byQuery.headers['content-disposition']).toBe('attachment; filename="pricing-effectiveness-2026-03-01-2026-04-30.csv"');
      expect(byQuery.body.split('\r\n')).toEqual([
        'rule,rule_code,rule_name,applications,orders,total_discount,revenue_affected,discount_per_application,discount_share',
        'CHOC-5,CHOC-5,CHOC-5 promotion,2,1,10,390,5,2.5',
        'SWEET-10,SWEET-10,SWEET-10 promotion,5,4,140,1260,28,10',
        '',
      ]);
      const byAccept = await report('/reports/segment-revenue?from=2026-05-01&to=2026-06-30', 'analyst', { accept: 'text/csv' });
      expect(byAccept.body.split('\r\n')).toEqual([
        'month,segment,segment_code,orders,lines,revenue,discount,rule_lines,rule_discount',
        '2026-05,(none),(none),1,1,100,0,0,0',
        `2026-05,${wholesale},WHOLESALE,1,3,425,25,2,25`,
        `2026-06,${wholesale},WHOLESALE,1,1,900,100,1,100`,
        '',
      ]);
      const browser = await report('/reports/segment-revenue?from=2026-04-01&to=2026-04-30', 'analyst', {
        accept: 'application/json, text/csv',
      });
      expect(browser.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    it('is for managers, analysts and administrators only', async () => {
      for (const role of ['manager', 'analyst', 'administrator'])
        expect((await report('/reports/segment-revenue?from=2026-03-01&to=2026-03-31', role)).statusCode).toBe(200);
      for (const role of ['integration', 'viewer']) {
        const refused = await report('/reports/pricing-effectiveness?from=2026-03-01&to=2026-03-31', role);
        expect(refused.statusCode).toBe(403);
        expect(refused.json().code).toBe('ROLE_FORBIDDEN');
      }
    });

    it('refuses a backwards or over-long range, and missing or malformed dates, with a 400', async () => {
      const backwards = await report('/reports/segment-revenue?from=2026-04-01&to=2026-03-01');
      expect([backwards.statusCode, backwards.json().code]).toEqual([400, 'REPORT_RANGE_INVALID']);
      const long = await report('/reports/pricing-effectiveness?from=2025-01-01&to=2026-03-01');
      expect([long.statusCode, long.json().code]).toEqual([400, 'REPORT_RANGE_INVALID']);
      for (const query of ['from=2026-03-01', 'from=2026-3-1&to=2026-03-31', 'from=2026-03-01&to=2026-03-31&format=xml']) {
        const bad = await report(`/reports/segment-revenue?${query}`);
        expect(bad.statusCode).toBe(400);
        expect(typeof bad.json().code).toBe('string');
      }
    });
  });
}
