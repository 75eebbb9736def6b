import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { carriesBody } from './input-guard.js';
import type { HttpServerInstance } from './types.js';

export const DEFAULT_BODY_TIMEOUT_MS = 15_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

export function requestTimeout(part: 'body' | 'headers', limitMs: number): AppError {
  return new AppError('request_timeout', 'REQUEST_TIMEOUT', `The request ${part} did not arrive within ${limitMs} ms`, {
    details: { part, timeoutMs: limitMs },
  });
}

/**
 * Cuts off a body that arrives too slowly (one byte every few seconds holds a socket and a
 * parser forever otherwise) with 408 REQUEST_TIMEOUT. The clock starts when the head has
 * arrived and stops at the body's last byte. Node's own requestTimeout is only a coarse
 * backstop (checked every few seconds, answered outside our error shape), so this is a timer
 * per request with a body.
 */
export function registerBodyTimeout(app: HttpServerInstance, timeoutMs: number): void {
  // A callback hook: most requests carry no body, and an async hook would cost them a promise.
  app.addHook('onRequest', (request, _reply, done) => {
    if (carriesBody(request) && !request.raw.complete) {
      const timer = setTimeout(() => expire(request, timeoutMs), timeoutMs);
      timer.unref();
      const stop = () => clearTimeout(timer);
      request.raw.once('end', stop);
      request.raw.once('close', stop);
    }
    done();
  });
}

function expire(request: FastifyRequest, timeoutMs: number): void {
  const raw = request.raw;
  if (raw.complete || raw.destroyed) return;
  // The content-type parser is listening: failing its stream makes it answer through the app's
  // error handler, which closes the connection because the body was never read to the end.
  if (raw.listenerCount('error') > 0) {
    raw.emit('error', requestTimeout('body', timeoutMs));
    return;
  }
  // Nobody reads the body (still in a hook, or a route consuming it itself): drop the connection.
  (raw.socket as Socket | null)?.destroy();
}
