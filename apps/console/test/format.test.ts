import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/lib/csv';
import { compareDecimal, dayFirst, formatKg, formatPlantTime, plantDate, plantDatesIn, sumKg } from '../src/lib/format';
import { matchScan } from '../src/features/gatepass/bag-scan';
import { lineageOf } from '../src/features/trace/lineage';

describe('weights', () => {
  it('shows kg with two decimals, rounding half up on the digits', () => {
    expect(formatKg('1250.5')).toBe('1,250.50 kg');
    expect(formatKg('0.005')).toBe('0.01 kg');
    expect(formatKg('0.004')).toBe('0.00 kg');
    expect(formatKg('999.995')).toBe('1,000.00 kg');
    expect(formatKg('12')).toBe('12.00 kg');
    expect(formatKg('-3.456')).toBe('-3.46 kg');
    expect(formatKg('1234567.891')).toBe('1,234,567.89 kg');
    expect(formatKg(2.5)).toBe('2.50 kg');
    expect(formatKg(null)).toBe('');
  });

  it('adds kg exactly, where binary floats would drift', () => {
    expect(sumKg(['0.1', '0.2'])).toBe('0.300');
    expect(sumKg(['30', '25.005', '12.5'])).toBe('67.505');
    expect(sumKg([])).toBe('0.000');
  });

  it('compares decimal strings exactly', () => {
    expect(compareDecimal('10.01', '9.99')).toBe(1);
    expect(compareDecimal('0.1', '0.10')).toBe(0);
    expect(compareDecimal('-1', '0')).toBe(-1);
    expect(['100', '20.5', '3'].sort(compareDecimal)).toEqual(['3', '20.5', '100']);
  });
});

describe('plant time', () => {
  it('shows an instant in Colombo time (UTC+05:30) whatever the zone of this machine', () => {
    const instant = Date.UTC(2026, 2, 1, 20, 0);
    expect(formatPlantTime(instant)).toBe('02 Mar 2026, 01:30');
    expect(formatPlantTime(new Date(instant).toISOString())).toBe('02 Mar 2026, 01:30');
    expect(plantDate(instant)).toBe('2026-03-02');
    expect(formatPlantTime(instant, 'UTC')).toBe('01 Mar 2026, 20:00');
    expect(formatPlantTime(null)).toBe('');
  });

  it('rewrites the ISO dates in a server-made label day first, instants in Colombo time', () => {
    expect(dayFirst('2026-05-04')).toBe('04/05/2026');
    expect(plantDatesIn('schedule 7 (2026-05-04 DAY)')).toBe('schedule 7 (04/05/2026 DAY)');
    const instant = new Date(Date.UTC(2026, 2, 1, 20, 0)).toISOString();
    expect(plantDatesIn(`lot received ${instant}`)).toBe(`lot received ${formatPlantTime(instant)}`);
    expect(plantDatesIn(`lot received ${instant}`)).toContain('02 Mar 2026, 01:30');
    expect(plantDatesIn('shipment 12/1 (ORD-2026-05)')).toBe('shipment 12/1 (ORD-2026-05)');
  });
});

describe('CSV export', () => {
  it('quotes separators and disarms spreadsheet formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=SUM(A1)', '-2'],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=SUM(A1),\'-2\r\n');
  });
});

describe('gatepass scanning', () => {
  const bag = {
    table: 'blendsheet' as const,
    barcode: 'ab12',
    item_code: 'B1',
    amount: '30',
    remaining: '30',
    request_code: 1,
    shipment_code: 1,
  };
  it('takes the label, or the bare code in any case; says when a bag is unknown or already checked', () => {
    expect(matchScan(' blendsheet:ab12\n', [bag], new Set()).kind).toBe('checked');
    expect(matchScan('AB12', [bag], new Set()).kind).toBe('checked');
    expect(matchScan('blendsheet:ab12', [bag], new Set(['blendsheet:ab12'])).kind).toBe('duplicate');
    expect(matchScan('tealine:ab12', [bag], new Set())).toEqual({ kind: 'unknown', scanned: 'tealine:ab12' });
    expect(matchScan('  ', [bag], new Set()).kind).toBe('empty');
  });
});

describe('genealogy sides', () => {
  it('puts what led to the traced node up and what came of it down, leaving siblings out', () => {
    const node = (id: string) => ({ id });
    const edge = (from: string, to: string) => ({ from, to });
    const lineage = lineageOf({
      roots: ['b'],
      nodes: ['a', 'b', 'c', 'd', 'sibling'].map(node),
      edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('a', 'sibling')],
    });
    expect(lineage.found.map((n) => n.id)).toEqual(['b']);
    expect(lineage.up.map((n) => n.id)).toEqual(['a']);
    expect(lineage.down.map((n) => n.id)).toEqual(['c', 'd']);
  });
});
