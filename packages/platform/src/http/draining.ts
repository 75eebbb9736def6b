import type { HttpServerInstance } from './types.js';

/** Apps that are shutting down. Keyed by app so many apps can live in one process (tests do). */
const draining = new WeakSet<object>();

/** Readiness answers 503 from now on, so load balancers stop sending new work. */
export function markDraining(app: object): void {
  draining.add(app);
}

export function isDraining(app: object): boolean {
  return draining.has(app);
}

/**
 * While draining, every answer closes its connection. Node's server.close() reaps only the
 * connections idle at that moment; one whose request was still in flight would otherwise
 * sit in keep-alive afterwards and hold close() open for the whole keep-alive timeout (72 s).
 */
export function registerDrainingHook(app: HttpServerInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining.has(app)) reply.header('connection', 'close');
    return payload;
  });
}
