import { afterAll, beforeAll } from 'vitest';

/**
 * Starts a harness before the enclosing describe's tests and stops it after them, and returns
 * a stand-in that forwards to it. A suite can then hold its harness in a `const` at the top
 * instead of declaring it, starting it in `beforeAll` and stopping it in `afterAll` itself.
 * The stand-in throws when read before its `beforeAll` has run (at collection time).
 */
export function startedForSuite<T extends object>(start: () => Promise<T>, stop: (started: T) => Promise<void>): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    if (started) await stop(started);
  });
  return new Proxy({} as T, {
    get: (_, key) => {
      if (!started) throw new Error('the suite harness is read before its beforeAll has started it');
      return Reflect.get(started, key);
    },
  });
}
