import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { createSegment, type Harness, masters, ok, outboxTypes, startHarness } from './harness.js';

for (const target of testDatabases()) {
  describe(`${target.label}: customer segmentation`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(target);
      await masters(h);
      for (const [code, priority] of [
        ['RETAIL', 3],
        ['WHOLESALE', 1],
        ['GOLD', 2],
      ] as const) {
        await createSegment(h, code, `${code} segment`, 'demographic', {
          priority_level: priority,
          discount_percentage: code === 'WHOLESALE' ? '15' : '0',
          credit_limit_multiplier: '1.5',
        });
      }
    });
    afterAll(async () => h.close());

    it('creates, reads and lists segments by priority; bad input is a 400 with a stable code', async () => {
      const list = await ok(h.call('GET', '/segments?limit=2'));
      expect(list.data.map((s: any) => s.segment_code)).toEqual(['WHOLESALE', 'GOLD']);
      expect(list.hasMore).toBe(true);
      expect((await ok(h.call('GET', '/segments/WHOLESALE'))).discount_percentage).toBe('15');
      const bad = await h.call('POST', '/segments', { segment_code: 'X', segment_name: 'x', segment_type: 'nonsense' });
      expect(bad.statusCode).toBe(400);
      const badRules = await h.call('POST', '/segments', {
        segment_code: 'BAD',
        segment_name: 'x',
        segment_type: 'custom',
        auto_assignment_rules: { conditions: [{ field: 'shoe_size', operator: '=', value: 1 }] },
      });
      expect(badRules.statusCode).toBe(400);
      expect(badRules.json().code).toBe('SEGMENT_RULES_INVALID');
      expect((await h.call('POST', '/segments', { segment_code: 'RETAIL', segment_name: 'dup', segment_type: 'custom' })).json().code).toBe(
        'SEGMENT_EXISTS',
      );
    });

    it('keeps one primary in force: an overlapping primary is refused, history and as-of queries hold', async () => {
      const first = await ok(
        h.call('POST', '/customers/C-RETAIL/segments', { segment: 'RETAIL', is_primary: true, effective_from: '2026-03-10' }),
        201,
      );
      expect(first.status).toBe('Active');
      const overlap = await h.call('POST', '/customers/C-RETAIL/segments', {
        segment: 'GOLD',
        is_primary: true,
        effective_from: '2026-04-01',
      });
      expect(overlap.statusCode).toBe(409);
      expect(overlap.json().code).toBe('PRIMARY_SEGMENT_OVERLAP');
      // A bounded primary that ends before another begins is fine; a non-primary may overlap.
      await ok(
        h.call('POST', '/customers/C-RETAIL/segments', {
          segment: 'GOLD',
          is_primary: false,
          effective_from: '2026-03-15',
          effective_to: '2026-05-01',
        }),
        201,
      );
      const sameSegment = await h.call('POST', '/customers/C-RETAIL/segments', { segment: 'GOLD', effective_from: '2026-04-15' });
      expect(sameSegment.json().code).toBe('ASSIGNMENT_OVERLAP');
      // Replacing: the open-ended primary ends where the new one starts.
      const second = await ok(
        h.call('POST', '/customers/C-RETAIL/segments', {
          segment: 'WHOLESALE',
          is_primary: true,
          effective_from: '2026-06-01',
          replace_current: true,
        }),
        201,
      );
      const history = await ok(h.call('GET', '/customers/C-RETAIL/segments'));
      expect(history.data).toHaveLength(3);
      const retail = history.data.find((a: any) => a.segment_code === 'RETAIL');
      expect(retail.effective_to).toBe('2026-06-01');
      expect(retail.superseded_by).toBe(second.name);
      const primaryOn = async (day: string) =>
        (await ok(h.call('GET', `/customers/C-RETAIL/segments?as_of=${day}&primary_only=true`))).data.map((a: any) => a.segment_code);
      expect(await primaryOn('2026-05-31')).toEqual(['RETAIL']);
      expect(await primaryOn('2026-06-01')).toEqual(['WHOLESALE']);
      expect(await primaryOn('2026-03-09')).toEqual([]);
      const inForce = (await ok(h.call('GET', '/customers/C-RETAIL/segments?as_of=2026-04-01'))).data
        .map((a: any) => a.segment_code)
        .sort();
      expect(inForce).toEqual(['GOLD', 'RETAIL']);
      const benefits = await ok(h.call('GET', '/customers/C-RETAIL/segments/primary?as_of=2026-07-01'));
      expect(benefits.segment.segment_code).toBe('WHOLESALE');
      expect(benefits.benefits.discount_percentage).toBe('15');
      expect(benefits.benefits.credit_limit).toBe('150000');
      expect((await outboxTypes(h)).filter((t) => t === 'erp.customer.segment_assigned')).toHaveLength(3);
    });

    it('refuses bad dates and unknown customers or segments without writing', async () => {
      const before = (await ok(h.call('GET', '/customers/C-WHOLE/segments'))).data.length;
      expect(
        (
          await h.call('POST', '/customers/C-WHOLE/segments', { segment: 'GOLD', effective_from: '2026-05-01', effective_to: '2026-04-01' })
        ).json().code,
      ).toBe('ASSIGNMENT_DATES_INVALID');
      expect(
        (
          await h.call('POST', '/customers/C-WHOLE/segments', {
            segment: 'GOLD',
            assignment_date: '2026-03-10',
            effective_from: '2026-03-01',
          })
        ).json().code,
      ).toBe('ASSIGNMENT_DATES_INVALID');
      expect((await h.call('POST', '/customers/C-WHOLE/segments', { segment: 'GOLD', effective_from: '2026-02-30' })).statusCode).toBe(400);
      expect((await h.call('POST', '/customers/NOPE/segments', { segment: 'GOLD' })).statusCode).toBe(404);
      expect((await h.call('POST', '/customers/C-WHOLE/segments', { segment: 'NOPE' })).json().code).toBe('SEGMENT_NOT_FOUND');
      expect((await h.call('POST', '/customers/C-WHOLE/segments', { segment: 'GOLD', is_primary: 'definitely' })).statusCode).toBe(400);
      expect((await ok(h.call('GET', '/customers/C-WHOLE/segments'))).data.length).toBe(before);
    });

    it('serialises concurrent primary assignments per customer: exactly one of 12 overlapping wins', async () => {
      await ok(h.call('POST', '/customers', { name: 'C-RACE', customer_name: 'Race' }), 201);
      const days = Array.from({ length: 12 }, (_, i) => `2026-03-${String(11 + i).padStart(2, '0')}`);
      const results = await Promise.all(
        days.map((day, i) =>
          h.call('POST', '/customers/C-RACE/segments', {
            segment: ['RETAIL', 'GOLD', 'WHOLESALE'][i % 3],
            is_primary: true,
            effective_from: day,
          }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes.filter((c) => c === 201)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(11);
      const primaries = (await ok(h.call('GET', '/customers/C-RACE/segments?primary_only=true'))).data;
      expect(primaries).toHaveLength(1);
    });

    it('ends an assignment, keeping it in history', async () => {
      await ok(h.call('POST', '/customers', { name: 'C-END', customer_name: 'Ender' }), 201);
      const a = await ok(
        h.call('POST', '/customers/C-END/segments', {
          segment: 'GOLD',
          is_primary: true,
          effective_from: '2026-03-01',
          assignment_date: '2026-03-01',
        }),
        201,
      );
      const ended = await ok(h.call('POST', `/customers/C-END/segments/${a.name}/end`, {}));
      expect(ended.effective_to).toBe('2026-03-10');
      expect(ended.status).toBe('Inactive');
      expect((await ok(h.call('GET', '/customers/C-END/segments?as_of=2026-03-09'))).data).toHaveLength(1);
      expect((await ok(h.call('GET', '/customers/C-END/segments?as_of=2026-03-10'))).data).toHaveLength(0);
      // The primary slot is free again from the end date.
      const next = await ok(h.call('POST', '/customers/C-END/segments', { segment: 'RETAIL', is_primary: true }), 201);
      // A scheduled end keeps the assignment Active until that day, and then it reads Expired.
      const scheduled = await ok(h.call('POST', `/customers/C-END/segments/${next.name}/end`, { effective_to: '2026-04-01' }));
      expect(scheduled).toMatchObject({ status: 'Active', effective_to: '2026-04-01' });
      h.clock.advance(30 * 86_400_000);
      expect(
        (await ok(h.call('GET', '/customers/C-END/segments?primary_only=true'))).data.find((a: any) => a.name === next.name).status,
      ).toBe('Expired');
      h.clock.advance(-30 * 86_400_000);
    });

    it('maps many territories per customer with one primary at a time', async () => {
      await ok(
        h.call('POST', '/customers/C-WHOLE/territories', { territory: 'Bengaluru', is_primary: true, effective_from: '2026-01-01' }),
        201,
      );
      await ok(
        h.call('POST', '/customers/C-WHOLE/territories', { territory: 'Mysuru', effective_from: '2026-02-01', service_level: 'Express' }),
        201,
      );
      const clash = await h.call('POST', '/customers/C-WHOLE/territories', {
        territory: 'Hubballi',
        is_primary: true,
        effective_from: '2026-03-01',
      });
      expect(clash.json().code).toBe('TERRITORY_MAPPING_OVERLAP');
      const list = await ok(h.call('GET', '/customers/C-WHOLE/territories?as_of=2026-03-10'));
      expect(list.data.map((m: any) => m.territory).sort()).toEqual(['Bengaluru', 'Mysuru']);
      expect((await ok(h.call('GET', '/customers/C-WHOLE/territories?as_of=2026-01-15'))).data).toHaveLength(1);
    });

    it('auto-assigns by the documented rule JSON and reviews: escalate, demote, deactivate', async () => {
      const valueBased = (code: string, name: string, priority_level: number, auto_assignment_rules: object) =>
        createSegment(h, code, name, 'value_based', { priority_level, auto_assignment_enabled: true, auto_assignment_rules });
      await valueBased('VIP', 'VIP', 1, { conditions: [{ field: 'annual_purchase', operator: '>=', value: 1000000 }], logic: 'AND' });
      await valueBased('SILVER', 'Silver', 4, {
        conditions: [
          { field: 'annual_purchase', operator: 'BETWEEN', value: [100000, 999999.99] },
          { field: 'customer_group', operator: 'IN', value: ['Retail', 'Wholesale'] },
        ],
        logic: 'AND',
      });
      await valueBased('BRONZE', 'Bronze', 5, { conditions: [{ field: 'total_orders', operator: '>=', value: 1 }], logic: 'OR' });
      await ok(h.call('PATCH', '/segments/SILVER', { escalation_segment: 'VIP', demotion_segment: 'BRONZE' }));
      for (const name of ['A1', 'A2', 'A3'])
        await ok(h.call('POST', '/customers', { name, customer_name: name, customer_group: 'Retail' }), 201);
      await ok(h.call('PUT', '/customers/A1/metrics', { annual_purchase: '250000', total_orders: 40 }));
      await ok(h.call('PUT', '/customers/A2/metrics', { annual_purchase: '300000', total_orders: 12 }));
      await ok(h.call('PUT', '/customers/A3/metrics', { annual_purchase: '5000', total_orders: 2 }));
      const run = await ok(h.call('POST', '/segments/SILVER/auto-assign', {}));
      expect(run.assigned.map((a: any) => a.customer).sort()).toEqual(['A1', 'A2']);
      expect(run.assigned.every((a: any) => a.is_primary)).toBe(true);
      expect((await ok(h.call('POST', '/segments/SILVER/auto-assign', {}))).assigned).toEqual([]);

      await ok(h.call('PUT', '/customers/A1/metrics', { annual_purchase: '1500000', total_orders: 80 }));
      await ok(h.call('PUT', '/customers/A2/metrics', { annual_purchase: '20000', total_orders: 3 }));
      const review = await ok(h.call('POST', '/segments/review', { due_only: false }));
      const byCustomer = Object.fromEntries(
        review.reviewed.filter((r: any) => ['A1', 'A2'].includes(r.customer)).map((r: any) => [r.customer, r]),
      );
      expect(byCustomer.A1.action).toBe('escalated');
      expect(byCustomer.A2.action).toBe('demoted');
      const a1 = await ok(h.call('GET', '/customers/A1/segments/primary'));
      expect(a1.segment.segment_code).toBe('VIP');
      expect(a1.assignment.assignment_type).toBe('Upgraded');
      const a2 = await ok(h.call('GET', '/customers/A2/segments/primary'));
      expect(a2.segment.segment_code).toBe('BRONZE');
      // Segments without rules need a person.
      const manual = review.reviewed.find((r: any) => r.customer === 'C-WHOLE' || r.customer === 'C-RETAIL');
      if (manual) expect(['pending_review', 'extended']).toContain(manual.action);
    });
  });
}
