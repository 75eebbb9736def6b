import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { assignSegment, createSegment, type Harness, ok, pricingRule, startWithMasters } from './harness.js';

interface Trace {
  rule_code: string;
  outcome: string;
  reason: string;
  checks: Array<{ check: string; passed: boolean; detail: string }>;
}

// One database is enough: the explanation is the evaluator's own answer plus pure checks.
const target = testDatabases({ dialects: ['pglite'] })[0]!;

describe('pricing explain and the application log', () => {
  let h: Harness;
  const explain = (body: Record<string, unknown>) => ok(h.call('POST', '/pricing/explain', body));
  const traceOf = (line: { rules: Trace[] }, code: string) => line.rules.find((rule) => rule.rule_code === code)!;

  beforeAll(async () => {
    h = await startWithMasters(target);
    await createSegment(h, 'WHOLESALE', 'Wholesale', 'demographic');
    await assignSegment(h, 'C-WHOLE', { segment: 'WHOLESALE', is_primary: true });
    await pricingRule(h, 'SWEET-SEG', {
      apply_on: 'Item Group',
      apply_on_value: 'Sweets',
      applicable_for: 'Customer Segment',
      applicable_for_value: 'WHOLESALE',
      priority: 10,
      discount_percentage: '10',
    });
    await pricingRule(h, 'SWEET-BULK', { items: ['SWEET-1'], min_qty: '20', priority: 5, discount_percentage: '5', stacking: 'Compound' });
    await pricingRule(h, 'CHOC-ONLY', { items: ['CHOC-1'], priority: 1, discount_percentage: '50' });
  });
  afterAll(async () => h.close());

  it('prices as the evaluator does and says per line which rule won, which applied and why the others did not', async () => {
    const body = { customer: 'C-WHOLE', items: [{ item_code: 'SWEET-1', qty: '30' }] };
    const explained = await explain(body);
    const quoted = await ok(h.call('POST', '/pricing/calculate', { ...body, dry_run: true }));
    const [line] = explained.lines;
    expect(line.final_amount).toBe(quoted.pricing[0].final_amount);
    expect(line.final_amount).toBe('2565.00'); // 3000 less 10%, then 5% of what is left
    expect(line.winner).toBe('SWEET-SEG');
    expect(line.pricing_rules_applied.map((rule: { rule_code: string }) => rule.rule_code)).toEqual(['SWEET-SEG', 'SWEET-BULK']);
    // Every active rule is listed, highest precedence first.
    expect(line.rules.map((rule: Trace) => rule.rule_code)).toEqual(['SWEET-SEG', 'SWEET-BULK', 'CHOC-ONLY']);
    expect(traceOf(line, 'SWEET-SEG')).toMatchObject({ outcome: 'applied' });
    const choc = traceOf(line, 'CHOC-ONLY');
    expect(choc.outcome).toBe('not matched');
    expect(choc.reason).toBe('item: items CHOC-1; the line is SWEET-1, Sweets, Harsha');
    expect(explained.customer_segments).toEqual(['WHOLESALE']);
  });

  it('a segment stands in for a customer, and a quantity below a bound is named as the reason', async () => {
    const explained = await explain({ segment: 'WHOLESALE', items: [{ item_code: 'SWEET-1', qty: '2' }] });
    const [line] = explained.lines;
    expect(line.winner).toBe('SWEET-SEG');
    const bulk = traceOf(line, 'SWEET-BULK');
    expect(bulk.outcome).toBe('not matched');
    expect(bulk.checks.find((check) => check.check === 'quantity')).toEqual({
      check: 'quantity',
      passed: false,
      detail: 'at least 20, no maximum; the line has 2',
    });
    const retail = await explain({ customer: 'C-RETAIL', items: [{ item_code: 'SWEET-1', qty: '2' }] });
    expect(traceOf(retail.lines[0], 'SWEET-SEG').reason).toBe('customer: for Customer Segment WHOLESALE; the quote has none');
    expect(retail.lines[0].winner).toBeNull();
  });

  it('refuses a customer and a segment together, and an unknown segment', async () => {
    const both = await h.call('POST', '/pricing/explain', {
      customer: 'C-WHOLE',
      segment: 'WHOLESALE',
      items: [{ item_code: 'SWEET-1', qty: '1' }],
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().code).toBe('PRICING_REQUEST_INVALID');
    const unknown = await h.call('POST', '/pricing/explain', { segment: 'NOPE', items: [{ item_code: 'SWEET-1', qty: '1' }] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('SEGMENT_NOT_FOUND');
  });

  it('explaining logs nothing; the log lists what a real quote applied, newest first, filtered by rule', async () => {
    await explain({ customer: 'C-WHOLE', items: [{ item_code: 'SWEET-1', qty: '30' }] });
    expect((await ok(h.call('GET', '/pricing/applications'))).data).toEqual([]);
    await ok(h.call('POST', '/pricing/calculate', { customer: 'C-WHOLE', items: [{ item_code: 'SWEET-1', qty: '30' }] }));
    const log = await ok(h.call('GET', '/pricing/applications?limit=1'));
    expect(log.data).toHaveLength(1);
    expect(log.hasMore).toBe(true);
    const bulk = await ok(h.call('GET', '/pricing/applications?rule=SWEET-BULK'));
    expect(bulk.data).toEqual([
      expect.objectContaining({ rule_code: 'SWEET-BULK', customer: 'C-WHOLE', item_code: 'SWEET-1', qty: '30', original_rate: '100' }),
    ]);
  });
});
