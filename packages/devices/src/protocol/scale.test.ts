import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '@tributary/platform/core';
import { chunked, cutsArb } from '../testing/chunks.js';
import { createScaleParser, parseScaleFrame, type ScaleReading } from './scale.js';

const reading = (kg: string | null, stable: boolean, flags: Partial<ScaleReading> = {}): ScaleReading => ({
  kg,
  stable,
  overload: false,
  underload: false,
  ...flags,
});

describe('scale frames (§7.2 load cell)', () => {
  it('reads the stable flag and the weight as an exact two-place decimal', () => {
    expect(parseScaleFrame('S  12.34')).toEqual(reading('12.34', true));
    expect(parseScaleFrame('U0012.3')).toEqual(reading('12.30', false));
    expect(parseScaleFrame('S 7')).toEqual(reading('7.00', true));
    expect(parseScaleFrame('S 25.505 kg')).toEqual(reading('25.51', true));
    // Binary floats would make this 0.1 + 0.2 style drift; the decimal does not.
    expect(parseScaleFrame('S 0.285')).toEqual(reading('0.29', true));
  });

  it('flags over and under range', () => {
    expect(parseScaleFrame('S 1000.00')).toEqual(reading('1000.00', true, { overload: true }));
    expect(parseScaleFrame('S 150', '100')).toEqual(reading('150.00', true, { overload: true }));
    expect(parseScaleFrame('U -0.40')).toEqual(reading('-0.40', false, { underload: true }));
    expect(parseScaleFrame('S -0.004')).toEqual(reading('0.00', true));
    expect(parseScaleFrame('U OL')).toEqual(reading(null, false, { overload: true }));
    expect(parseScaleFrame('S UL')).toEqual(reading(null, true, { underload: true }));
  });

  it('refuses bodies that are not readings', () => {
    for (const body of ['', 'S', 'X 12.00', 'S 12.3.4', 'S twelve', 'S 1e3', 's 12.00', 'S 12 lb'])
      expect(parseScaleFrame(body)).toBeNull();
  });

  it('rounds any written weight exactly as Decimal half-up does, however long', () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom('0', '1', '4', '5', '6', '9'), minLength: 1, maxLength: max });
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), digits(18), fc.option(digits(8), { nil: undefined }), (sign, whole, fraction) => {
        const written = `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
        const expected = new Decimal(written).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
        const got = parseScaleFrame(`S ${written}`);
        expect(got?.kg).toBe(expected.isZero() ? '0.00' : expected.toFixed(2));
        expect(got?.underload).toBe(expected.isNegative() && !expected.isZero());
        expect(got?.overload).toBe(expected.greaterThan('999.99'));
      }),
    );
  });

  it('finds frames in a noisy stream and counts the noise', () => {
    const parser = createScaleParser();
    const out = parser.push('garbage\x02S 1.00\r\n\x02U 2.0\x02S 3.00\r\n\x02Q 9\r\x02S 4.5');
    expect(out).toEqual([reading('1.00', true), reading('3.00', true)]);
    // "garbage", the frame cut by a fresh STX, and the unknown flag Q.
    expect(parser.rejected()).toBe(3);
    expect(parser.push('0\r\n')).toEqual([reading('4.50', true)]);
    expect(parser.rejected()).toBe(3);
  });

  it('never buffers an unterminated frame forever', () => {
    const parser = createScaleParser();
    expect(parser.push(`\x02S ${'1'.repeat(100)}`)).toEqual([]);
    expect(parser.push('\x02S 5.00\n')).toEqual([reading('5.00', true)]);
    expect(parser.rejected()).toBe(1);
  });

  it('gives the same readings however the stream is chunked and whatever noise lies between frames', () => {
    const frameArb = fc.record({
      stable: fc.boolean(),
      cents: fc.integer({ min: -99_999, max: 99_999 }),
      pad: fc.constantFrom('', ' ', '   ', ' +'),
      end: fc.constantFrom('\r\n', '\r', '\n', '\x03', '\x03\r\n'),
      noise: fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '\r', '\n', '\xff', '.', '-'), maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 25 }), cutsArb, (frames, cuts) => {
        const kgOf = (cents: number) =>
          `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
        const wire = frames
          .map((f) => `${f.noise}\x02${f.stable ? 'S' : 'U'}${f.cents < 0 ? ' ' : f.pad}${kgOf(f.cents)}${f.end}`)
          .join('');
        const parser = createScaleParser();
        const got = chunked(wire, cuts).flatMap((chunk) => parser.push(Buffer.from(chunk, 'latin1')));
        const want = frames.map((f) => {
          const kg = f.cents === 0 ? '0.00' : kgOf(f.cents);
          return reading(kg, f.stable, { overload: f.cents > 99_999, underload: f.cents < 0 });
        });
        expect(got).toEqual(want);
      }),
    );
  });
});
