import type { Logger } from '../core/logger.js';

/** A whole-number setting from the environment; a bad value stops the service naming the variable. */
export function positiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** A timer beside the server; one failed run is logged and the next one tries again. */
export function startRetention(run: () => Promise<unknown>, intervalMs: number, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .catch((error: unknown) => logger.error({ err: error }, 'personal data retention failed'))
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
