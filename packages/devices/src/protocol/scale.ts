import { Decimal } from '@tributary/platform/core';

/**
 * One load-cell frame (§7.2: STX, `S` stable or `U` moving, the weight in kg, whitespace).
 * `kg` is an exact decimal string with two places, the precision the bag tables store; it is
 * null only when the indicator sends an over/under-range marker instead of a number.
 */
export interface ScaleReading {
  kg: string | null;
  stable: boolean;
  /** Above the configured capacity, or the indicator's own over-range marker. */
  overload: boolean;
  /** Below zero (an unzeroed or lifted platform), or the indicator's under-range marker. */
  underload: boolean;
}

export interface ScaleParser {
  push(chunk: Buffer | string): ScaleReading[];
  /** Frames and stray bytes thrown away as noise so far. */
  rejected(): number;
}

export interface ScaleParserOptions {
  /** Readings above this many kg are flagged overload; the bag columns hold at most 999.99. */
  capacityKg?: string;
}

export const DEFAULT_CAPACITY_KG = '999.99';

const STX = '\x02';
// A frame ends at a line end or ETX; spaces are inside frames (`\x02S   12.34`), so they cannot end one.
// eslint-disable-next-line no-control-regex -- ETX is a terminator on this wire
const END = /[\r\n\x03]/;
/** Longest frame body a real indicator sends; anything longer is noise (and never buffered forever). */
const MAX_FRAME = 32;
const NUMBER = /^([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:kg)?$/i;
const OVER = /^\+?(OL|OVER)$/i;
const UNDER = /^(-OL|UL|UNDER)$/i;

/** Line ends between frames (the LF of a CRLF, ETX then CRLF) are framing, not noise. */
function isNoise(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- ETX is a terminator on this wire
  return /[^\s\x03]/.test(text);
}

/** One frame body (what lies between STX and the terminator), or null when it is not a reading. */
export function parseScaleFrame(body: string, capacityKg: string = DEFAULT_CAPACITY_KG): ScaleReading | null {
  const flag = body[0];
  if (flag !== 'S' && flag !== 'U') return null;
  const stable = flag === 'S';
  const weight = body.slice(1).trim();
  if (OVER.test(weight)) return { kg: null, stable, overload: true, underload: false };
  if (UNDER.test(weight)) return { kg: null, stable, overload: false, underload: true };
  const match = NUMBER.exec(weight);
  if (!match) return null;
  const negative = match[1] === '-';
  const cents = toCents(match[2]!);
  if (cents === null) {
    const value = new Decimal(`${match[1] ?? ''}${match[2]}`).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    // -0.004 rounds to a zero that would print as "-0.00".
    const kg = value.isZero() ? '0.00' : value.toFixed(2);
    return { kg, stable, overload: value.greaterThan(capacityKg), underload: value.isNegative() && !value.isZero() };
  }
  const signed = negative && cents > 0;
  const kg = `${signed ? '-' : ''}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return { kg, stable, overload: !signed && cents > capacityCents(capacityKg), underload: signed };
}

/** Integers below this are exact in a double, so cents of up to 13 integer digits stay exact. */
const EXACT_DIGITS = 13;

/**
 * An unsigned decimal rounded half-up (away from zero) to whole cents, in integer arithmetic:
 * the frames arrive many times a second and a Decimal per frame is most of the parse time.
 * Null for magnitudes too long to stay exact, which go through Decimal instead.
 */
function toCents(unsigned: string): number | null {
  const dot = unsigned.indexOf('.');
  const whole = dot < 0 ? unsigned : unsigned.slice(0, dot);
  const fraction = dot < 0 ? '' : unsigned.slice(dot + 1);
  if (whole.length > EXACT_DIGITS) return null;
  const cents = Number(whole || '0') * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
  return fraction.length > 2 && fraction.charCodeAt(2) >= 53 /* '5' */ ? cents + 1 : cents;
}

const capacities = new Map<string, number>();

function capacityCents(capacityKg: string): number {
  let cents = capacities.get(capacityKg);
  if (cents === undefined) {
    cents = new Decimal(capacityKg).times(100).toNumber();
    capacities.set(capacityKg, cents);
  }
  return cents;
}

/**
 * The load-cell stream: frames are found by their STX whatever the chunking, a frame cut by
 * a fresh STX (a dropped terminator) is abandoned, and bytes outside frames are counted, not read.
 */
export function createScaleParser(options: ScaleParserOptions = {}): ScaleParser {
  const capacity = options.capacityKg ?? DEFAULT_CAPACITY_KG;
  let pending = '';
  let refused = 0;
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
      const readings: ScaleReading[] = [];
      for (;;) {
        const start = pending.indexOf(STX);
        if (start < 0) {
          if (isNoise(pending)) refused += 1;
          pending = '';
          break;
        }
        if (isNoise(pending.slice(0, start))) refused += 1;
        pending = pending.slice(start);
        const next = pending.indexOf(STX, 1);
        const endMatch = END.exec(pending);
        const end = endMatch ? endMatch.index : -1;
        if (next > 0 && (end < 0 || next < end)) {
          refused += 1;
          pending = pending.slice(next);
          continue;
        }
        if (end < 0) {
          if (pending.length > MAX_FRAME + 1) {
            refused += 1;
            pending = '';
          }
          break;
        }
        const reading = parseScaleFrame(pending.slice(1, end), capacity);
        if (reading) readings.push(reading);
        else refused += 1;
        pending = pending.slice(end + 1);
      }
      return readings;
    },
    rejected: () => refused,
  };
}
