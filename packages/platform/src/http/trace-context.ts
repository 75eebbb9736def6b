import type { IncomingHttpHeaders } from 'node:http';
import { randomHex } from '../core/ids.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/*
 * W3C Trace Context in plain code rather than through @opentelemetry/api: correlation (one
 * trace id across every service's logs) is a header parse and a random span id, and it must
 * cost nothing more when no spans are exported. A service that exports traces (the kernel's
 * tracing module, on when an OTLP endpoint is set) opens a real span per request and hands its
 * ids to this same context, so logs, headers and exported spans agree; the header format is
 * the same either way.
 */

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

export interface Traceparent {
  version: '00';
  traceId: string;
  /** The caller's span: the parent of the span this hop opens. */
  parentId: string;
  flags: string;
}

export interface TraceContext {
  traceId: string;
  /** This hop's span, new for every request. */
  spanId: string;
  /** The caller's span when the request carried a valid traceparent. */
  parentSpanId?: string;
  flags: string;
  /** The header value to send downstream: this trace, with this hop's span as the parent. */
  traceparent: string;
  /** Vendor state, passed through untouched when the trace was continued. */
  tracestate?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The trace this request belongs to, set for every request by the HTTP app. */
    readonly trace: TraceContext;
  }
}

// Only version 00 is defined; lower-case hex only, as the spec requires.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZEROS = /^0+$/;
/** The spec's limit on tracestate is 32 members; 512 characters is what it says to keep at least. */
const MAX_TRACESTATE_LENGTH = 512;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Parses a traceparent header. Anything malformed (an unknown version, upper-case hex, an
 * all-zero id, a repeated header that Node folded into "a, b") yields undefined, which
 * means "start a new trace".
 */
export function parseTraceparent(value: string | string[] | undefined): Traceparent | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, traceId, parentId, flags] = match as unknown as [string, string, string, string];
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return { version: '00', traceId, parentId, flags };
}

export function formatTraceparent(parts: { traceId: string; spanId: string; flags: string }): string {
  return `00-${parts.traceId}-${parts.spanId}-${parts.flags}`;
}

/**
 * Continues the caller's trace when its traceparent is valid (same trace id and flags, a new
 * span whose parent is the caller's), otherwise starts a new one. tracestate is kept only
 * with a continued trace: the spec forbids carrying it over into a trace we restarted.
 */
export function traceFromHeaders(headers: IncomingHttpHeaders): TraceContext {
  const incoming = parseTraceparent(headers[TRACEPARENT_HEADER]);
  const spanId = randomHexId(8);
  if (!incoming) {
    // Nothing records spans here, so a trace we start is not marked sampled; when the service
    // traces, its sampler decides and the span's flags replace these (tracing/http-server.ts).
    const traceId = randomHexId(16);
    const flags = '00';
    return { traceId, spanId, flags, traceparent: formatTraceparent({ traceId, spanId, flags }) };
  }
  const { traceId, parentId, flags } = incoming;
  const context: TraceContext = {
    traceId,
    spanId,
    parentSpanId: parentId,
    flags,
    traceparent: formatTraceparent({ traceId, spanId, flags }),
  };
  const tracestate = readTracestate(headers[TRACESTATE_HEADER]);
  if (tracestate !== undefined) context.tracestate = tracestate;
  return context;
}

/** What a call to another service carries for correlation (a command context is one). */
export interface CallCorrelation {
  requestId: string;
  traceparent: string;
  tracestate?: string;
}

/**
 * The correlation headers for a call to another service, from the request being served or
 * from a command context built from it (which outlives the request: a saga, a delivery).
 */
export function downstreamHeaders(from: { id: string; trace: TraceContext } | CallCorrelation): Record<string, string> {
  const correlation: CallCorrelation =
    'trace' in from
      ? {
          requestId: from.id,
          traceparent: from.trace.traceparent,
          ...(from.trace.tracestate !== undefined ? { tracestate: from.trace.tracestate } : {}),
        }
      : from;
  const headers: Record<string, string> = {
    [REQUEST_ID_HEADER]: correlation.requestId,
    [TRACEPARENT_HEADER]: correlation.traceparent,
  };
  if (correlation.tracestate !== undefined) headers[TRACESTATE_HEADER] = correlation.tracestate;
  return headers;
}

/**
 * A new span in the trace of `traceparent`, its parent the span named there: for a hop that
 * is not itself serving a request (a delivery of a stored event). A missing or malformed
 * parent starts a new trace rather than failing the call.
 */
export function childTraceparent(traceparent: string | undefined): string {
  const parent = parseTraceparent(traceparent);
  const traceId = parent?.traceId ?? randomHexId(16);
  return formatTraceparent({ traceId, spanId: randomHexId(8), flags: parent?.flags ?? '00' });
}

function readTracestate(value: string | string[] | undefined): string | undefined {
  // Repeated tracestate headers are one list split over lines; joining them is lossless.
  const joined = (Array.isArray(value) ? value.join(',') : value)?.trim();
  if (!joined || joined.length > MAX_TRACESTATE_LENGTH || !PRINTABLE_ASCII.test(joined)) return undefined;
  return joined;
}

/** `bytes` random bytes as lower-case hex, never all zeros (an invalid id). */
function randomHexId(bytes: number): string {
  for (;;) {
    const id = randomHex(bytes);
    if (!ALL_ZEROS.test(id)) return id;
  }
}
