import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../core/errors.js';
import { setCorrelationHeaders } from './correlation.js';
import { mapError } from './error-mapping.js';
import { carriesBody } from './input-guard.js';
import type { ErrorResponse } from './error-response.js';
import type { HttpServerInstance } from './types.js';

/** The code each error answer carried, for the request's completion log line. */
const answeredCodes = new WeakMap<FastifyRequest, string>();

export function answeredErrorCode(request: FastifyRequest): string | undefined {
  return answeredCodes.get(request);
}

/** The one place an error becomes a response. */
export function sendError(thrown: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(thrown);
  if (mapped.upstreamOutage) {
    request.log.warn({ err: thrown, code: mapped.code }, 'request failed: upstream unavailable');
  } else if (mapped.serverFault) {
    request.log.error({ err: thrown, code: mapped.code }, 'request failed');
  } else if (mapped.schemaGap) {
    request.log.warn({ err: thrown, code: mapped.code }, 'database refused a request value the route schema accepted');
  } else {
    // Client mistakes are the caller's news, not ours; the completion line already names the code.
    request.log.debug({ err: thrown, code: mapped.code }, 'request refused');
  }
  answeredCodes.set(request, mapped.code);

  const body: ErrorResponse = { code: mapped.code, message: mapped.message, requestId: request.id };
  if (mapped.details !== undefined) body.details = mapped.details;
  // Framework errors (a bad URL) are answered before any hook ran, so the headers are set here too.
  setCorrelationHeaders(request, reply);
  if (mapped.headers) reply.headers(mapped.headers);
  // Refused before its body was read (no signature, bad input, too slow): close rather than
  // keep the connection, or Node would read and discard the rest of the body, however large.
  if (carriesBody(request) && !request.raw.complete) reply.header('connection', 'close');
  return reply.status(mapped.status).send(body);
}

export function registerErrorHandling(app: HttpServerInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    return sendError(notFound('ROUTE_NOT_FOUND', `No route for ${request.method} ${path}`), request, reply);
  });
}
