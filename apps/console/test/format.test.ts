import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/lib/csv';
import { compareDecimal, formatKg, formatPlantTime, plantDate } from '../src/lib/format';

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
