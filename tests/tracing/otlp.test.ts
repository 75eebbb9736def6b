import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceparent } from '@tributary/platform/http';
import { startService } from '@tributary/platform/service';
import { freePort, testDatabases, testServiceContext } from '@tributary/platform/testing';
import { service as orders } from '@tributary/orders/service';
import { keyring, login, PLATFORM_TEST_ENV, startPlatform, type FuzzPlatform } from '../security/platform.js';

/**
 * Traces exported over OTLP/HTTP to a receiver run by the test, from real services over real
 * HTTP: one user's request through the gateway to orders, whose event sync delivers to
 * processing, must arrive as one trace with every hop's spans and the database's, and no span
 * may carry a value the request sent.
 */

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  attributes: Record<string, string>;
}

const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 };

/** An OTLP/HTTP receiver: every export posted to /v1/traces, decoded (JSON, as the kernel's exporter sends). */
async function startReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; posts: () => number; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  let posts = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts++;
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      spans.push(...decode(JSON.parse(body.toString('utf8')) as OtlpExport));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    posts: () => posts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function decode(payload: OtlpExport): ReceivedSpan[] {
  return (payload.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = flatten(resourceSpans.resource?.attributes)['service.name'] ?? '';
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        name: span.name,
        kind: span.kind,
        attributes: flatten(span.attributes),
      })),
    );
  });
}

function flatten(attributes: OtlpAttribute[] | undefined): Record<string, string> {
  return Object.fromEntries((attributes ?? []).map((attribute) => [attribute.key, text(attribute.value)]));
}

function text(value: OtlpValue): string {
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(text).join(',');
  return String(value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue ?? '');
}

describe('tracing off: no OTLP endpoint set', () => {
  it('exports nothing, however the service is used', async () => {
    const receiver = await startReceiver();
    const database = await testDatabases({ dialects: ['pglite'] })[0]!.create();
    const port = await freePort();
    // The receiver listens, but nothing names it: the service must not trace at all.
    const running = await startService(orders, testServiceContext('orders', database.database, { env: PLATFORM_TEST_ENV, keyring }), {
      host: '127.0.0.1',
      port,
    });
    try {
      const ready = await fetch(`${running.url}/health/ready`);
      expect(ready.status).toBe(200);
      const refused = await fetch(`${running.url}/order`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(refused.status).toBe(401);
      // Still the kernel's own trace context in the answer, for logs: not sampled, as nothing records it.
      expect(parseTraceparent(refused.headers.get('traceparent') ?? undefined)?.flags).toBe('00');
    } finally {
      // A traced service would flush its spans here.
      await running.stop();
      await receiver.close();
    }
    expect(receiver.posts()).toBe(0);
    expect(receiver.spans).toEqual([]);
  }, 120_000);
});

describe('tracing on: one trace from the gateway to the service an event is delivered to', () => {
  const planted = `planted-${randomUUID()}`;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let platform: FuzzPlatform | undefined;

  beforeAll(async () => {
    receiver = await startReceiver();
    platform = await startPlatform({ ...PLATFORM_TEST_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  }, 300_000);
  afterAll(async () => {
    await platform?.stop();
    await receiver?.close();
  });

  it('exports gateway → orders → outbox → sync → processing as one trace, with database spans and no request values', async () => {
    const running = platform!;
    const gateway = running.node('gateway').url;
    const accessToken = await login(running, 'grandpass-officer');
    const created = await fetch(`${gateway}/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify([
        {
          order_code: 'DEMO-ORD-0001',
          product_name: 'English Breakfast 100 bags',
          requirement: '100',
          comments: planted,
          status: 'ORDER_REQUESTED',
        },
      ]),
    });
    expect(created.status).toBe(200);
    const traceparent = parseTraceparent(created.headers.get('traceparent') ?? undefined);
    expect(traceparent?.flags).toBe('01');
    const traceId = traceparent!.traceId;
    const [order] = (await created.json()) as { request_code: number }[];

    // Wait until processing applied the delivered event: then every hop's work is done.
    const outbox = await sql<{ id: string; payload: string }>`
      select id, payload from outbox where type = 'orders.request.created' and aggregate_id = ${String(order!.request_code)}`.execute(
      running.node('orders').database.db,
    );
    const eventId = outbox.rows[0]!.id;
    // The value went into a statement's parameters: an exporter that copied them would leak it.
    expect(outbox.rows[0]!.payload).toContain(planted);
    const processingDb = running.node('processing').database.db;
    const applied = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from inbox where event_id = ${eventId}`.execute(processingDb)).rows[0]!.n;
    for (let attempt = 0; attempt < 200 && (await applied()) === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await applied()).toBe(1);

    // A graceful stop flushes every service's buffered spans to the receiver.
    await running.stop();
    platform = undefined;

    const trace = receiver.spans.filter((span) => span.traceId === traceId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const find = (service: string, kind: number, name: string) =>
      trace.find((span) => span.service === service && span.kind === kind && span.name === name);

    // The gateway's server span is the root: the client sent no traceparent.
    const root = trace.find((span) => span.parentSpanId === undefined);
    expect(root).toMatchObject({ service: 'gateway', kind: SPAN_KIND.server });
    expect(trace.filter((span) => span.parentSpanId === undefined)).toHaveLength(1);
    // Every other span's parent was exported too: the trace has no holes.
    expect(trace.filter((span) => span.parentSpanId !== undefined && !byId.has(span.parentSpanId))).toEqual([]);

    const ordersServer = find('orders', SPAN_KIND.server, 'POST /order');
    const outboxWrite = find('orders', SPAN_KIND.producer, 'outbox write');
    const delivery = find('sync', SPAN_KIND.consumer, 'deliver orders.request.created');
    const processingServer = find('processing', SPAN_KIND.server, 'POST /internal/events');
    for (const span of [ordersServer, outboxWrite, delivery, processingServer]) expect(span).toBeDefined();
    expect(ordersServer!.attributes).toMatchObject({ 'http.route': '/order', 'http.response.status_code': '200' });

    // Walking up from processing's request passes through sync, the outbox write, orders and the gateway.
    const path: string[] = [];
    for (let span: ReceivedSpan | undefined = processingServer; span; span = span.parentSpanId ? byId.get(span.parentSpanId) : undefined) {
      path.push(`${span.service}:${span.name}`);
    }
    expect(path).toEqual(
      expect.arrayContaining([
        'processing:POST /internal/events',
        'sync:deliver orders.request.created',
        'orders:outbox write',
        'orders:POST /order',
      ]),
    );
    expect(path.at(-1)).toBe(`gateway:${root!.name}`);
    expect(path.indexOf('sync:deliver orders.request.created')).toBeLessThan(path.indexOf('orders:outbox write'));

    // Database spans in the databases the trace wrote to, with the statement and never its values.
    const queries = trace.filter((span) => span.attributes['db.query.text'] !== undefined);
    expect([...new Set(queries.map((span) => span.service))]).toEqual(expect.arrayContaining(['orders', 'processing']));
    expect(queries.find((span) => span.service === 'processing' && span.name === 'INSERT inbox')?.parentSpanId).toBe(
      processingServer!.spanId,
    );
    const outboxInsert = queries.find((span) => span.service === 'orders' && span.name === 'INSERT outbox');
    expect(outboxInsert?.attributes['db.query.text']).toMatch(/^insert into "outbox" .*\$1/);
    expect(outboxInsert?.parentSpanId).toBe(outboxWrite!.spanId);

    // The planted value went into orders' database and the event, but into no attribute of any span.
    expect(receiver.spans.length).toBeGreaterThan(trace.length);
    const leaks = receiver.spans.filter((span) => Object.values(span.attributes).some((value) => value.includes(planted)));
    expect(leaks).toEqual([]);
    expect(receiver.spans.every((span) => !span.name.includes(planted))).toBe(true);
  }, 180_000);
});
