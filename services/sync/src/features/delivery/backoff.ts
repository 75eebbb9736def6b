/**
 * Delay before retry number `retryCount` (0-based): `base × factor^n`, capped, with "equal
 * jitter" (half fixed, half random) so the delay still grows with every failure while a crowd
 * of failed deliveries spreads out instead of retrying in lock-step.
 */
export function retryDelayMs(
  retryCount: number,
  options: { baseMs: number; factor: number; capMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * Math.pow(Math.max(1, options.factor), Math.max(0, retryCount)));
  if (!Number.isFinite(ceiling) || ceiling <= 0) return 0;
  const draw = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (draw * ceiling) / 2);
}
