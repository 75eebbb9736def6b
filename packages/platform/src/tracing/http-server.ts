import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { context, trace, TraceFlags, type Span, type Tracer } from '@opentelemetry/api';
import { adoptTrace } from '../http/correlation.js';
import { formatTraceparent, TRACEPARENT_HEADER, traceFromHeaders, type TraceContext } from '../http/trace-context.js';
import { routeLabel } from '../http/metrics.js';
import type { HttpServerInstance } from '../http/types.js';
import { serviceContext, SpanKind, spanStatusFromHttp, withRemoteParent } from './spans.js';

/**
 * Opens a server span for every request the app's server receives, and runs Fastify's whole
 * handling of it inside that span's context, so the database queries, outbox writes and calls
 * the request makes become its children. Wrapping the server's request listener is the one
 * place every request passes (routed, 404 and refused-before-routing alike), and it is only
 * done when the service traces: an untraced server's listener is left as it was.
 *
 * The span's ids become the request's trace context (logs, the traceparent echoed and sent
 * downstream), so a log line's spanId is the exported span's.
 */
export function traceHttpApp(app: HttpServerInstance, tracer: Tracer): void {
  const server = app.server;
  const base = serviceContext(tracer);
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  for (const listener of listeners) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const parent = withRemoteParent(base, req.headers[TRACEPARENT_HEADER]);
      const span = tracer.startSpan(
        req.method ?? 'HTTP',
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '' } },
        parent,
      );
      adoptTrace(req, spanTrace(req, span), (request) => nameServerSpan(span, request));
      // 'close' comes for every response, finished or abandoned.
      res.once('close', () => endServerSpan(span, res.statusCode));
      context.with(trace.setSpan(parent, span), () => listener(req, res));
    });
  }
}

function nameServerSpan(span: Span, request: FastifyRequest): void {
  const route = routeLabel(request);
  span.updateName(`${request.method} ${route}`);
  span.setAttribute('http.route', route);
}

function endServerSpan(span: Span, status: number): void {
  if (!span.isRecording()) return;
  spanStatusFromHttp(span, status, SpanKind.SERVER);
  span.end();
}

/** The request's trace context with this span's ids; tracestate and the caller's span come from the headers as usual. */
function spanTrace(req: IncomingMessage, span: Span): TraceContext {
  const { traceId, spanId, traceFlags } = span.spanContext();
  const fromHeaders = traceFromHeaders(req.headers);
  const flags = traceFlags & TraceFlags.SAMPLED ? '01' : '00';
  const continued = fromHeaders.parentSpanId !== undefined && fromHeaders.traceId === traceId;
  return {
    traceId,
    spanId,
    flags,
    traceparent: formatTraceparent({ traceId, spanId, flags }),
    ...(continued && fromHeaders.parentSpanId !== undefined ? { parentSpanId: fromHeaders.parentSpanId } : {}),
    ...(continued && fromHeaders.tracestate !== undefined ? { tracestate: fromHeaders.tracestate } : {}),
  };
}
