import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunked, cutsArb } from '../testing/chunks.js';
import { buttonReply, createButtonParser, type ButtonAction } from './button.js';

describe('button box (§7.2)', () => {
  it('takes five ADD_BAG as one accept and BAG_ADDED as one dispatch', () => {
    const parser = createButtonParser();
    expect(parser.push('ADD_BAG\r\nADD_BAG\r\nADD_BAG\r\nADD_BAG\r\n', 0)).toEqual([]);
    expect(parser.push('ADD_BAG\r\nBAG_ADDED\r\n', 10)).toEqual(['BAG_ACCEPT', 'BAG_DISPATCH']);
  });

  it('does not let a broken press complete the next one', () => {
    const parser = createButtonParser({ pressGapMs: 1_000 });
    expect(parser.push('ADD_BAG\nADD_BAG\n', 0)).toEqual([]);
    // Long after: a fresh press of five, which must be exactly one accept.
    expect(parser.push('ADD_BAG\nADD_BAG\nADD_BAG\nADD_BAG\n', 5_000)).toEqual([]);
    expect(parser.push('ADD_BAG\n', 5_010)).toEqual(['BAG_ACCEPT']);
    // Noise inside a run breaks it too.
    expect(parser.push('ADD_BAG\nADD_BAG\nNOISE\nADD_BAG\nADD_BAG\nADD_BAG\n', 5_020)).toEqual([]);
    expect(parser.rejected()).toBe(1);
  });

  it('answers the LED lines', () => {
    expect(buttonReply(true)).toBe('BAG_OK\r\n');
    expect(buttonReply(false)).toBe('BAG_NOT_OK\r\n');
  });

  it('gives one action per press however the stream is chunked', () => {
    const pressArb = fc.tuple(fc.constantFrom<ButtonAction>('BAG_ACCEPT', 'BAG_DISPATCH'), fc.constantFrom('\r\n', '\n', ' ', '\t'));
    fc.assert(
      fc.property(fc.array(pressArb, { maxLength: 20 }), cutsArb, (presses, cuts) => {
        const wire = presses.map(([action, sep]) => (action === 'BAG_ACCEPT' ? `ADD_BAG${sep}`.repeat(5) : `BAG_ADDED${sep}`)).join('');
        const parser = createButtonParser();
        const got = chunked(wire, cuts).flatMap((chunk) => parser.push(chunk, 0));
        expect(got).toEqual(presses.map(([action]) => action));
      }),
    );
  });
});
