import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downstreamHeaders, formatTraceparent, parseTraceparent } from './trace-context.js';
import { buildApp, capturingLogger } from './test-support.js';
import type { HttpApp } from './types.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${PARENT_ID}-01`;
const HEX16 = /^[0-9a-f]{16}$/;
const HEX32 = /^[0-9a-f]{32}$/;

function traceRoutes(app: HttpApp): void {
  app.get('/trace', async (request) => ({ trace: request.trace, downstream: downstreamHeaders(request) }));
}

describe('parseTraceparent', () => {
  it('reads a valid version-00 header', () => {
    expect(parseTraceparent(VALID)).toEqual({ version: '00', traceId: TRACE_ID, parentId: PARENT_ID, flags: '01' });
  });

  it('refuses malformed headers', () => {
    const invalid = [
      `01-${TRACE_ID}-${PARENT_ID}-01`, // unknown version
      `ff-${TRACE_ID}-${PARENT_ID}-01`, // forbidden version
      `00-${'0'.repeat(32)}-${PARENT_ID}-01`, // all-zero trace id
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`, // all-zero parent id
      `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`, // upper-case hex
      `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`, // short trace id
      `00-${TRACE_ID}-${PARENT_ID}-1`, // short flags
      `00-${TRACE_ID}-${PARENT_ID}-01-extra`,
      `${VALID}, ${VALID}`, // a repeated header, folded by Node
      '',
      'garbage',
    ];
    for (const value of invalid) expect(parseTraceparent(value), value).toBeUndefined();
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent([VALID, VALID])).toBeUndefined();
  });

  it('round-trips with formatTraceparent for any valid ids', () => {
    const hex = (length: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length }).filter((s) => /[1-9a-f]/.test(s));
    fc.assert(
      fc.property(hex(32), hex(16), fc.constantFrom('00', '01', '03', 'ff'), (traceId, spanId, flags) => {
        expect(parseTraceparent(formatTraceparent({ traceId, spanId, flags }))).toEqual({
          version: '00',
          traceId,
          parentId: spanId,
          flags,
        });
      }),
    );
  });
});

describe('trace context over HTTP', () => {
  it("continues a valid trace: same trace id and flags, a new span whose parent is the caller's", async () => {
    const app = await buildApp({}, traceRoutes);
    const response = await app.inject({ method: 'GET', url: '/trace', headers: { traceparent: VALID, tracestate: 'acme=t61rcWkgMzE' } });
    const { trace, downstream } = response.json();
    expect(trace.traceId).toBe(TRACE_ID);
    expect(trace.parentSpanId).toBe(PARENT_ID);
    expect(trace.spanId).toMatch(HEX16);
    expect(trace.spanId).not.toBe(PARENT_ID);
    expect(trace.flags).toBe('01');
    expect(trace.traceparent).toBe(`00-${TRACE_ID}-${trace.spanId}-01`);
    expect(response.headers.traceparent).toBe(trace.traceparent);
    expect(downstream).toEqual({
      'x-request-id': response.headers['x-request-id'],
      traceparent: trace.traceparent,
      tracestate: 'acme=t61rcWkgMzE',
    });
  });

  it('starts a new trace when traceparent is invalid, and drops its tracestate', async () => {
    const app = await buildApp({}, traceRoutes);
    const bad = `00-${'0'.repeat(32)}-${PARENT_ID}-01`;
    const response = await app.inject({ method: 'GET', url: '/trace', headers: { traceparent: bad, tracestate: 'acme=1' } });
    const { trace, downstream } = response.json();
    expect(trace.traceId).toMatch(HEX32);
    expect(trace.traceId).not.toBe('0'.repeat(32));
    expect(trace.parentSpanId).toBeUndefined();
    expect(trace.tracestate).toBeUndefined();
    expect(response.headers.traceparent).toBe(`00-${trace.traceId}-${trace.spanId}-00`);
    expect(downstream).toEqual({ 'x-request-id': response.headers['x-request-id'], traceparent: trace.traceparent });
  });

  it('starts a new trace per request when none is given, and answers with it even on errors', async () => {
    const app = await buildApp();
    const first = await app.inject({ method: 'GET', url: '/boom' });
    const second = await app.inject({ method: 'GET', url: '/no-such-route' });
    const [firstTrace, secondTrace] = [first, second].map((r) => parseTraceparent(r.headers.traceparent as string));
    expect(firstTrace).toBeDefined();
    expect(secondTrace).toBeDefined();
    expect(firstTrace?.traceId).not.toBe(secondTrace?.traceId);
  });

  it("binds the trace id to the request's log lines", async () => {
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ logger }, traceRoutes);
    const response = await app.inject({ method: 'GET', url: '/trace', headers: { traceparent: VALID } });
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ traceId: TRACE_ID, spanId: response.json().trace.spanId, reqId: response.headers['x-request-id'] });
  });
});
