import { describe, expect, it } from 'vitest';
import { parseRules, qualifies } from './conditions.js';
import { overlaps } from './assignments.service.js';

const facts = {
  annual_purchase: '150000.50',
  total_orders: 14,
  customer_group: 'Retail',
  territory: 'Chennai',
  creation_date: '2025-06-01',
};

describe('segment rules and intervals (pure)', () => {
  it('evaluates the documented condition JSON with AND / OR', () => {
    const and = parseRules(
      '{"conditions":[{"field":"annual_purchase","operator":">=","value":150000},{"field":"territory","operator":"IN","value":["Chennai","Madurai"]}],"logic":"AND"}',
    );
    expect(qualifies(and, facts)).toBe(true);
    expect(qualifies(and, { ...facts, territory: 'Delhi' })).toBe(false);
    const or = parseRules({
      conditions: [
        { field: 'total_orders', operator: 'BETWEEN', value: [20, 50] },
        { field: 'creation_date', operator: '<=', value: '2025-01-01' },
      ],
      logic: 'OR',
    });
    expect(qualifies(or, facts)).toBe(false);
    expect(qualifies(or, { ...facts, total_orders: 20 })).toBe(true);
    expect(qualifies(parseRules({ conditions: [{ field: 'customer_group', operator: '=', value: 'Retail' }] }), facts)).toBe(true);
  });

  it('refuses rules it could not evaluate', () => {
    for (const bad of [
      '{',
      { conditions: [] },
      { conditions: [{ field: 'x', operator: '=', value: 1 }] },
      { conditions: [{ field: 'total_orders', operator: 'LIKE', value: 1 }] },
      { conditions: [{ field: 'annual_purchase', operator: '>=', value: 'lots' }] },
      { conditions: [{ field: 'territory', operator: '>=', value: 'A' }] },
      { conditions: [{ field: 'total_orders', operator: 'BETWEEN', value: [1] }] },
    ]) {
      expect(() => parseRules(bad)).toThrow(/auto_assignment_rules/);
    }
  });

  it('treats effective_to as exclusive and empty intervals as never in force', () => {
    expect(overlaps({ from: '2026-01-01', to: '2026-02-01' }, { from: '2026-02-01', to: null })).toBe(false);
    expect(overlaps({ from: '2026-01-01', to: '2026-02-02' }, { from: '2026-02-01', to: null })).toBe(true);
    expect(overlaps({ from: '2026-01-01', to: '2026-01-01' }, { from: '2025-01-01', to: null })).toBe(false);
    expect(overlaps({ from: '2026-01-01', to: null }, { from: '2027-01-01', to: null })).toBe(true);
  });
});
