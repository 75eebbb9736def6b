import type { HttpServerInstance } from './types.js';

interface InFlight {
  count: number;
  idle: (() => void)[];
}

/** Keyed by app so many apps can live in one process (tests, `tributary up`). */
const tracked = new WeakMap<object, InFlight>();

/**
 * Counts route handlers that are running. `app.close()` waits only for open connections, and
 * a handler whose client hung up has none: it keeps running after close() resolved, and would
 * meet a database the runner has already closed ("driver has already been destroyed"). So
 * every handler is wrapped when its route is declared, and draining waits for the count to
 * reach zero before anything the handlers use is released.
 */
export function registerInFlightTracking(app: HttpServerInstance): void {
  const state: InFlight = { count: 0, idle: [] };
  tracked.set(app, state);
  const leave = () => {
    state.count--;
    if (state.count === 0) for (const resolve of state.idle.splice(0)) resolve();
  };
  app.addHook('onRoute', (route) => {
    const handler = route.handler as (this: unknown, ...args: unknown[]) => unknown;
    route.handler = function tracked(this: unknown, ...args: unknown[]) {
      state.count++;
      let result: unknown;
      try {
        result = handler.apply(this, args);
      } catch (error) {
        leave();
        throw error;
      }
      if (isPromise(result)) {
        return result.then(
          (value) => {
            leave();
            return value;
          },
          (error: unknown) => {
            leave();
            throw error;
          },
        );
      }
      leave();
      return result;
    } as typeof route.handler;
  });
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Resolves once no handler of the app is running (at once for an app that is not tracked). */
export function handlersSettled(app: object): Promise<void> {
  const state = tracked.get(app);
  if (!state || state.count === 0) return Promise.resolve();
  return new Promise((resolve) => state.idle.push(resolve));
}

export function handlersInFlight(app: object): number {
  return tracked.get(app)?.count ?? 0;
}
