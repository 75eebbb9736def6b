import { describe, expect, it } from 'vitest';
import { allocate, comparePicking, type Candidate } from './picking.js';
import { alertLevel, defaultStatus } from './batch-rules.js';
import { normalQuantile, reorderParameters } from './optimisation.service.js';
import { dec } from '@tributary/platform/core';

const c = (name: string, expiry: string, mfg: string, qty: string, creation = 0): Candidate => ({
  name,
  expiry_date: expiry,
  manufacturing_date: mfg,
  available_qty: qty,
  creation,
});

describe('picking order and allocation (pure)', () => {
  it('FEFO by expiry, FIFO by manufacture, ties broken to a total order', () => {
    const batches = [
      c('b', '2026-05-01', '2026-01-05', '5'),
      c('a', '2026-05-01', '2026-01-05', '5'),
      c('c', '2026-04-01', '2026-02-01', '5'),
      c('d', '2026-06-01', '2026-01-01', '5'),
    ];
    expect([...batches].sort(comparePicking('FEFO')).map((b) => b.name)).toEqual(['c', 'a', 'b', 'd']);
    expect([...batches].sort(comparePicking('FIFO')).map((b) => b.name)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('allocates min(remaining, available) in order and reports the shortage exactly', () => {
    const result = allocate(
      [c('x', '2026-04-01', '2026-01-01', '2.5'), c('y', '2026-04-02', '2026-01-01', '0'), c('z', '2026-04-03', '2026-01-01', '1.25')],
      '4',
    );
    expect(result.allocations.map((a) => [a.batch, a.qty])).toEqual([
      ['x', '2.5'],
      ['z', '1.25'],
    ]);
    expect(result).toMatchObject({ total_allocated: '3.75', shortage: '0.25' });
  });

  it('status and alert rules', () => {
    expect(defaultStatus('A+', '2026-05-01', '2026-03-10')).toBe('Active');
    expect(defaultStatus('B', '2026-05-01', '2026-03-10')).toBe('Quarantine');
    expect(defaultStatus('Reject', '2026-05-01', '2026-03-10')).toBe('Rejected');
    expect(defaultStatus('A', '2026-03-10', '2026-03-10')).toBe('Expired');
    const t = { critical: 7, warning: 30 };
    expect(
      ['2026-03-09', '2026-03-10', '2026-03-17', '2026-03-18', '2026-04-09', '2026-04-10'].map(
        (d) => alertLevel(d, '2026-03-10', t).alert_level,
      ),
    ).toEqual(['Expired', 'Expired', 'Critical', 'Warning', 'Warning', 'Normal']);
  });

  it('reorder formula: no variation means no safety stock', () => {
    const flat = reorderParameters({
      daily: Array.from({ length: 30 }, () => dec(10)),
      lead_time_days: 7,
      service_level_target: '95',
      seasonal_factor: '1',
      ordering_cost: '0',
      holding_cost_percentage: '15',
      unit_cost: '5',
    });
    expect(flat.safety_stock.toFixed()).toBe('0');
    expect(flat.reorder_level.toFixed()).toBe('70');
    expect(flat.reorder_qty.toFixed()).toBe('300');
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326348, 5);
  });
});
