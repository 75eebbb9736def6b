import {
  context,
  createContextKey,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent } from '../http/trace-context.js';

export { SpanKind };

/*
 * Several services can share one process (`tributary up`, the test platforms), each with its
 * own resource and exporter, so the tracer travels in the async context beside the active span
 * rather than living in a process-wide provider. Until some service starts tracing, `enabled`
 * stays false and every choke point returns after one boolean check: no context lookup, no
 * span, nothing from the SDK loaded.
 */
const TRACER = createContextKey('tributary.tracer');
let enabled = false;

/** Called by the SDK start-up once a context manager is in place. */
export function markTracingEnabled(): void {
  enabled = true;
}

/** The context a traced service's work starts from: no span yet, its tracer attached. */
export function serviceContext(tracer: Tracer): Context {
  return ROOT_CONTEXT.setValue(TRACER, tracer);
}

/** The tracer of the service whose work is running, or undefined when that service does not trace. */
export function activeTracer(): Tracer | undefined {
  if (!enabled) return undefined;
  return context.active().getValue(TRACER) as Tracer | undefined;
}

/**
 * `base` with the span named by a W3C traceparent as the remote parent: how an incoming
 * request, or an event stored with its writer's traceparent, joins the caller's trace. The
 * header is parsed by the kernel's own trace-context code, so both paths agree on what is valid.
 */
export function withRemoteParent(base: Context, traceparent: string | string[] | undefined): Context {
  const parent = parseTraceparent(traceparent);
  if (!parent) return base;
  return trace.setSpanContext(base, {
    traceId: parent.traceId,
    spanId: parent.parentId,
    traceFlags: Number.parseInt(parent.flags, 16),
    isRemote: true,
  });
}

/** The traceparent that makes `span` the parent of the next hop. */
export function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return formatTraceparent({ traceId, spanId, flags: (traceFlags & TraceFlags.SAMPLED ? 1 : 0).toString(16).padStart(2, '0') });
}

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** Continue this trace instead of the active span's (a stored event's writer). */
  parent?: string;
}

/** The span `work` runs in, and the traceparent that makes it the parent of a call `work` sends. */
export interface ActiveSpan {
  span: Span;
  traceparent: string;
}

/**
 * Runs `work` inside a new span of the active service's tracer; without a tracer it runs
 * `work` as it is, handed nothing. A thrown error marks the span failed and is rethrown unchanged.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (active: ActiveSpan | undefined) => Promise<T>): Promise<T> {
  const tracer = activeTracer();
  if (!tracer) return work(undefined);
  const current = context.active();
  const parent = options.parent === undefined ? current : withRemoteParent(trace.deleteSpan(current), options.parent);
  const span = tracer.startSpan(name, { kind: options.kind, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work({ span, traceparent: traceparentOf(span) }));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** A client span whose end the caller decides: a proxied answer streams on after the call returns. */
export interface ClientSpan {
  /** Send this as the call's traceparent, so the upstream's span is this one's child. */
  traceparent: string;
  end(status: number): void;
  fail(error: unknown): void;
}

/**
 * A client span of the active span's trace, or undefined when nothing traces. The name and
 * attributes are asked for only when a span is made, so an untraced call pays one boolean check.
 */
export function startClientSpan(describe: () => { name: string; attributes: Attributes }): ClientSpan | undefined {
  const tracer = activeTracer();
  if (!tracer) return undefined;
  const { name, attributes } = describe();
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
  return {
    traceparent: traceparentOf(span),
    end(status) {
      spanStatusFromHttp(span, status, SpanKind.CLIENT);
      span.end();
    },
    fail(error) {
      failSpan(span, error);
      span.end();
    },
  };
}

/** Marks a span failed with the error's name only: messages can quote input, and span attributes must never carry it. */
export function failSpan(span: Span, error: unknown): void {
  const type = error instanceof Error ? ((error as { code?: unknown }).code ?? error.name) : typeof error;
  span.setAttribute('error.type', String(type));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

export function spanStatusFromHttp(span: Span, status: number, kind: SpanKind): void {
  span.setAttribute('http.response.status_code', status);
  // A 4xx is the caller's problem, not the server's; a client span counts it as its own failure.
  if (status >= 500 || (kind === SpanKind.CLIENT && status >= 400)) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}
