import { describe, expect, it } from 'vitest';
import { dec, gramsToKg, kgToGrams } from './decimal.js';

describe('decimal helpers', () => {
  it('converts kg and grams exactly', () => {
    expect(kgToGrams('12.345')).toBe(12345n);
    expect(gramsToKg(12345n)).toBe('12.345');
    expect(gramsToKg('1000')).toBe('1');
    expect(dec('0.1').plus('0.2').toString()).toBe('0.3');
  });
  it('refuses sub-gram precision', () => {
    expect(() => kgToGrams('0.0001')).toThrow(RangeError);
  });
});
