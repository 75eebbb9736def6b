import type { HttpServerInstance } from './types.js';

/** Apps that are shutting down. Keyed by app so many apps can live in one process (tests do). */
const draining = new WeakSet<object>();
const signals = new WeakMap<object, AbortController>();

/** Readiness answers 503 from now on, so load balancers stop sending new work. */
export function markDraining(app: object): void {
  draining.add(app);
  signals.get(app)?.abort();
}

/**
 * Aborted when the app starts draining: a handler that waits on purpose (a long-poll) answers
 * what it has at once, instead of holding the shutdown for its whole wait.
 */
export function drainingSignal(app: object): AbortSignal {
  let controller = signals.get(app);
  if (!controller) {
    controller = new AbortController();
    if (draining.has(app)) controller.abort();
    signals.set(app, controller);
  }
  return controller.signal;
}

export function isDraining(app: object): boolean {
  return draining.has(app);
}

/**
 * Closing the app starts draining. While draining, every answer closes its connection. Node's server.close() reaps only the
 * connections idle at that moment; one whose request was still in flight would otherwise
 * sit in keep-alive afterwards and hold close() open for the whole keep-alive timeout (72 s).
 */
export function registerDrainingHook(app: HttpServerInstance): void {
  // A plain app.close() (a test, an embedding host) drains too: otherwise close() would wait out
  // every long-poll in flight, since the server closes only once their answers are sent.
  app.addHook('preClose', async () => markDraining(app));
  // A callback hook: it runs on every answer, and an async one costs a promise each time.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining.has(app)) reply.header('connection', 'close');
    done(null, payload);
  });
}
