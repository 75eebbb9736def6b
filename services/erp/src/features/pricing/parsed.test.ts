import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '@tributary/platform/core';
import { show } from '../../shared/numbers.js';
import { parsed } from './parsed.js';

const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 12 }))
  .map(([negative, digits, places]) => {
    const text = digits.toString().padStart(places + 1, '0');
    const body = places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
    return negative ? `-${body}` : body;
  });

describe('parsed decimals', () => {
  it('is the value a fresh parse gives, and the same instance on the next call', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const first = parsed(text);
        expect(first.equals(new Decimal(text))).toBe(true);
        expect(first.toFixed()).toBe(new Decimal(text).toFixed());
        expect(parsed(text)).toBe(first);
      }),
    );
  });

  it('keeps answering correctly past its bound', () => {
    for (let i = 0; i < 20_000; i++) expect(parsed(`${i}.5`).toFixed()).toBe(`${i}.5`);
    expect(parsed('0.5').toFixed()).toBe('0.5');
  });
});

describe('show', () => {
  it('prints what rounding to six places and dropping trailing zeros prints', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const value = new Decimal(text);
        expect(show(value)).toBe(value.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed());
        expect(show(text)).toBe(show(value));
      }),
    );
  });
});
