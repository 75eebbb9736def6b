/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, 2015): every client picks a
 * uniformly random delay below the exponential ceiling, so a crowd of callers that failed
 * together does not retry together and hammer a recovering upstream in lock-step.
 */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay, in ms. */
  baseMs: number;
  /** No delay ever exceeds this, in ms. */
  capMs: number;
  /** Growth per attempt; 2 doubles the ceiling each time. */
  factor?: number;
}

export const DEFAULT_BACKOFF_FACTOR = 2;

/** The largest delay attempt `attempt` (0-based) may draw: `min(cap, base * factor^attempt)`. */
export function backoffCeiling(attempt: number, options: BackoffOptions): number {
  const { baseMs, capMs } = options;
  const factor = options.factor ?? DEFAULT_BACKOFF_FACTOR;
  const cap = Math.max(0, capMs);
  const base = Math.max(0, baseMs);
  // base 0 times an overflowing power is NaN; a zero base always means "no wait".
  if (base === 0 || cap === 0) return 0;
  const grown = base * Math.pow(Math.max(0, factor), Math.max(0, attempt));
  return Number.isFinite(grown) ? Math.min(cap, grown) : cap;
}

/**
 * The delay before retry number `attempt` (0-based). `random` must return values in [0, 1);
 * it is injectable so tests can pin the draw, and is clamped so a sloppy source (returning 1
 * or a negative number) cannot push the delay outside its bounds.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = backoffCeiling(attempt, options);
  const draw = Math.min(1, Math.max(0, random()));
  return draw * ceiling;
}
