import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCalendarDate, kg, kgDeltaToGrams, kgToPositiveGrams } from './units.js';

describe('units', () => {
  it('turns kg into whole grams and back without float error', () => {
    expect(kgToPositiveGrams('1250.125', 'q')).toBe(1_250_125n);
    expect(kgToPositiveGrams(0.1, 'q')).toBe(100n);
    expect(kgToPositiveGrams(' 7 ', 'q')).toBe(7000n);
    expect(kg(1_250_125n)).toBe('1250.125');
    expect(kgDeltaToGrams('-0.5', 'd')).toBe(-500n);
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), (grams) => kgToPositiveGrams(kg(grams), 'q') === grams));
  });

  it('refuses zero, negatives, sub-gram precision, junk and absurd sizes with ORDER_QUANTITY_INVALID', () => {
    for (const value of ['0', '0.000', '-1', '1.0001', '1e3', 'abc', '', Number.NaN, Number.POSITIVE_INFINITY, '99999999999999999999']) {
      expect(() => kgToPositiveGrams(value, 'q')).toThrowError(expect.objectContaining({ code: 'ORDER_QUANTITY_INVALID' }));
    }
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-3-1')).toBe(false);
  });
});
