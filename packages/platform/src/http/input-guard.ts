import type { FastifyRequest } from 'fastify';
import { invalid } from '../core/errors.js';
import { checkHeaders, checkRequestTarget } from './input-text.js';
import type { HttpServerInstance } from './types.js';

/** Methods whose meaning leaves no room for a body (RFC 9110 §9.3.1–2); Fastify never parses one. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

export function carriesBody(request: Pick<FastifyRequest, 'headers'>): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The edge's first look at every request, before authentication and before any body byte is
 * read: the request target and header values must be text a service can store, and a GET or
 * HEAD must not carry a body (its bytes would be neither parsed nor covered by a signature
 * check, so the request could only fail later, and obscurely). Bodies are checked by the
 * content-type parsers (body-parsers.ts) and numbers by the validator (validation.ts).
 */
export function registerInputGuard(app: HttpServerInstance): void {
  // A callback hook: it runs on every request, and an async one costs a promise each time.
  app.addHook('onRequest', (request, _reply, done) => {
    const refusal = checkRequestTarget(request.url) ?? checkHeaders(request.headers);
    if (refusal) return done(refusal);
    if (BODYLESS_METHODS.has(request.method) && carriesBody(request)) {
      return done(invalid('REQUEST_BODY_NOT_ALLOWED', `A ${request.method} request must not carry a body`));
    }
    done();
  });
}
