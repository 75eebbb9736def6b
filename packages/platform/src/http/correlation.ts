import type { IncomingMessage } from 'node:http';
import type { Logger } from '../core/logger.js';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';
import { requestLogger } from './request-logger.js';
import { TRACEPARENT_HEADER, traceFromHeaders, type TraceContext } from './trace-context.js';
import type { HttpServerInstance } from './types.js';

/*
 * The trace is computed once per raw request, in the child-logger factory: that is the only
 * hook Fastify calls for every request (routed, 404 and framework errors alike) before
 * anything logs, so the request's logger carries traceId from its first line. The request
 * decorator reads the same object back.
 */
const traces = new WeakMap<IncomingMessage, RequestTrace>();

/** A traced server's request also names its span once the route is known. */
type RequestTrace = TraceContext & { routed?: (request: FastifyRequest) => void };

function traceOf(raw: IncomingMessage): RequestTrace {
  let trace = traces.get(raw);
  if (trace === undefined) {
    trace = traceFromHeaders(raw.headers);
    traces.set(raw, trace);
  }
  return trace;
}

/**
 * Sets a request's trace before Fastify sees it: a traced server takes the ids of the span it
 * opened, so logs and the exported span agree, and is told the route when the request is
 * routed (the correlation hook below is the first to run for every request). Untraced servers
 * never call it.
 */
export function adoptTrace(raw: IncomingMessage, trace: TraceContext, routed: (request: FastifyRequest) => void): void {
  traces.set(raw, { ...trace, routed });
}

/** Server options: request ids from the caller when sane, every request's logger bound to its traceId. */
export function correlationServerOptions(): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader' | 'childLoggerFactory'> {
  return {
    // Fastify would take the header verbatim; genReqId vets it first.
    requestIdHeader: false,
    genReqId: (raw) => requestIdFrom(raw.headers),
    childLoggerFactory(logger, bindings, options, raw) {
      const { traceId, spanId } = traceOf(raw as IncomingMessage);
      // The app is always built on the pino logger it was given (createHttpApp's `logger`).
      return requestLogger(logger as Logger, { ...bindings, traceId, spanId }, options);
    },
  };
}

export function registerCorrelation(app: HttpServerInstance): void {
  app.decorateRequest('trace', {
    getter(this: FastifyRequest) {
      return traceOf(this.raw);
    },
  });
  // First hook on the root, so even a request refused by a later onRequest hook (auth) carries both headers.
  app.addHook('onRequest', (request, reply, done) => {
    setCorrelationHeaders(request, reply);
    done();
  });
}

/** Echoes the request id and this hop's traceparent, so a caller can quote either when reporting a problem. */
export function setCorrelationHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header(REQUEST_ID_HEADER, request.id);
  // Through the raw request: Fastify builds framework-error requests without decorators.
  const trace = traceOf(request.raw);
  reply.header(TRACEPARENT_HEADER, trace.traceparent);
  trace.routed?.(request);
}
