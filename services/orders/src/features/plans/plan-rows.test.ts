import { describe, expect, it } from 'vitest';
import { aggregatePlanRows } from './plan-rows.js';

const row = (n: number, values: Record<string, string | number>) => ({
  row: n,
  values: { order_code: 'A', product_name: 'P', requirement: '1', plan_start: '2026-01-01', plan_end: '2026-01-02', ...values },
});

describe('plan aggregation', () => {
  it('sums requirement, widens the dates and prefers a blend code for item_code', () => {
    const { plans, raw } = aggregatePlanRows([
      row(1, { requirement: '0.001', item_code: 'RAW', plan_start: '2026-01-05', plan_end: '2026-01-10' }),
      row(2, { requirement: 2.5, item_code: 'x FLT00007', plan_end: '2026-02-01' }),
      row(3, { order_code: 'B', item_code: 'BTL12345' }),
    ]);
    expect(plans).toEqual([
      {
        order_code: 'A',
        product_name: 'P',
        item_code: 'FLT00007',
        requirementGrams: 2501n,
        plan_start: '2026-01-01',
        plan_end: '2026-02-01',
      },
      {
        order_code: 'B',
        product_name: 'P',
        item_code: 'BTL12345',
        requirementGrams: 1000n,
        plan_start: '2026-01-01',
        plan_end: '2026-01-02',
      },
    ]);
    expect(raw.map((r) => [r.row, r.requirement])).toEqual([
      [1, '0.001'],
      [2, '2.5'],
      [3, '1'],
    ]);
  });

  it('lists every problem with its row and field', () => {
    expect(() => aggregatePlanRows([row(1, {}), row(2, { product_name: 'Q', plan_end: '2025-12-31' })])).toThrowError(
      expect.objectContaining({
        code: 'PLAN_ROWS_INVALID',
        details: {
          total: 2,
          errors: [
            { row: 2, field: 'plan_end', message: 'is before plan_start' },
            { row: 2, field: 'product_name', message: expect.stringContaining('differs from row 1') },
          ],
        },
      }),
    );
  });
});
