import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { sql } from 'kysely';
import { parseTraceparent } from '@tributary/platform/http';
import { PLATFORM_TEST_ENV, startPlatform, type FuzzPlatform } from '../security/platform.js';

/**
 * One user's request, followed through every hop it causes: the gateway, orders (which writes
 * the event in the same transaction), the sync service (which captures it from orders' outbox
 * and delivers it) and processing (which applies it). Each service logs through its own pino
 * logger into a list here, so the assertions read the log records the services really wrote.
 */
/** The plan the demo data seeds in orders. */
const DEMO_ORDER_CODE = 'DEMO-ORD-0001';
const USER = 'grandpass-officer';
const USER_ID = 'usr_grandpass_officer';
/** The role that allocates bags to shipments in processing (the way back: processing's event to orders). */
const OFFICER = 'seeduwa-officer';
const OFFICER_ID = 'usr_seeduwa_officer';

interface LogRecord {
  service: string;
  msg?: string;
  traceId?: string;
  reqId?: string;
  method?: string;
  route?: string;
  eventId?: string;
  requestId?: string;
  [key: string]: unknown;
}

describe('one trace from the gateway to the service an event is delivered to', () => {
  const logs: LogRecord[] = [];
  let platform: FuzzPlatform;

  beforeAll(async () => {
    platform = await startPlatform(PLATFORM_TEST_ENV, {
      logger: (service) =>
        pino(
          { level: 'debug', base: {} },
          { write: (line: string) => void logs.push({ ...(JSON.parse(line) as LogRecord), service }) },
        ).child({ service }),
    });
    // Five services with their migrations and demo data on a shared, busy machine.
  }, 300_000);
  afterAll(async () => platform?.stop());

  it('keeps the trace id, request id and acting user through gateway → orders → outbox → sync → processing', async () => {
    const gateway = platform.node('gateway').url;
    const login = await fetch(`${gateway}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USER, password: 'tributary-demo' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };

    const created = await fetch(`${gateway}/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify([
        {
          order_code: DEMO_ORDER_CODE,
          product_name: 'English Breakfast 100 bags',
          requirement: '100',
          comments: 'traced',
          status: 'ORDER_REQUESTED',
        },
      ]),
    });
    expect(created.status).toBe(200);
    const traceId = parseTraceparent(created.headers.get('traceparent') ?? undefined)?.traceId;
    const requestId = created.headers.get('x-request-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(requestId).toBeTruthy();
    const [order] = (await created.json()) as { request_code: number }[];
    expect(order).toBeDefined();

    // The event orders wrote with the change: its stored metadata names the trace and the user.
    const outbox = await sql<{ id: string; metadata: string }>`
      select id, metadata from outbox where type = 'orders.request.created' and aggregate_id = ${String(order!.request_code)}`.execute(
      platform.node('orders').database.db,
    );
    expect(outbox.rows).toHaveLength(1);
    const eventId = outbox.rows[0]!.id;
    const stored = JSON.parse(outbox.rows[0]!.metadata) as Record<string, unknown>;
    expect(stored).toMatchObject({ requestId, actor: USER_ID, actorType: 'user', user: USER_ID, principal: 'gateway' });
    expect(parseTraceparent(stored.traceparent as string)?.traceId).toBe(traceId);

    // Sync captures it from orders' feed and delivers it to processing; wait until processing applied it.
    const processingDb = platform.node('processing').database.db;
    const applied = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from inbox where event_id = ${eventId}`.execute(processingDb)).rows[0]!.n;
    for (let attempt = 0; attempt < 200 && (await applied()) === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await applied()).toBe(1);

    const captured = await sql<{ metadata: Record<string, unknown>; source_user: string | null }>`
      select metadata, source_user from sync_events where event_id = ${eventId}`.execute(platform.node('sync').database.db);
    expect(captured.rows).toHaveLength(1);
    expect(captured.rows[0]!.source_user).toBe(USER_ID);
    expect(parseTraceparent(captured.rows[0]!.metadata.traceparent as string)?.traceId).toBe(traceId);

    // Every hop's own log records carry the one trace id (and the first request's id).
    const hop = (service: string, match: (record: LogRecord) => boolean) =>
      logs.filter((record) => record.service === service && match(record));
    const completed = (method: string, route: string) => (record: LogRecord) =>
      record.msg === 'request completed' && record.method === method && record.route === route;
    // The gateway labels proxied requests by its catch-all route; its only other POST was the login.
    const gatewayLines = hop(
      'gateway',
      (record) => record.msg === 'request completed' && record.method === 'POST' && record.route !== '/api/v1/auth/login',
    );
    const ordersLines = hop('orders', completed('POST', '/order'));
    const syncLines = hop('sync', (record) => record.msg === 'delivering event' && record.eventId === eventId);
    for (const lines of [gatewayLines, ordersLines, syncLines]) {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((record) => record.traceId === traceId)).toBe(true);
    }
    // Processing also receives the demo data's events (other traces): the one in this trace is the delivery above.
    const processingLine = hop('processing', completed('POST', '/internal/events')).find((record) => record.traceId === traceId);
    expect(processingLine).toBeDefined();
    expect([gatewayLines[0]!.reqId, ordersLines[0]!.reqId, syncLines[0]!.requestId, processingLine!.reqId]).toEqual([
      requestId,
      requestId,
      requestId,
      requestId,
    ]);
    // Each hop opened its own span in that trace.
    const spans = [gatewayLines[0]!.spanId, ordersLines[0]!.spanId, syncLines[0]!.spanId, processingLine!.spanId];
    expect(new Set(spans).size).toBe(4);
  }, 120_000);

  it('keeps the trace id, request id and acting user on the way back: gateway → processing → outbox → sync → orders', async () => {
    const gateway = platform.node('gateway').url;
    const login = await fetch(`${gateway}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: OFFICER, password: 'tributary-demo' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };

    // A seeded bag in processing, allocated to the demo data's shipment in orders.
    const bags = await sql<{ barcode: string }>`select barcode::text as barcode from tealine_record order by received_ts limit 1`.execute(
      platform.node('processing').database.db,
    );
    const shipments = await sql<{ request_code: string; shipment_code: number }>`
      select request_code, shipment_code from order_shipment order by request_code, shipment_code limit 1`.execute(
      platform.node('orders').database.db,
    );
    expect(bags.rows).toHaveLength(1);
    expect(shipments.rows).toHaveLength(1);
    const shipment = shipments.rows[0]!;
    const allocated = await fetch(`${gateway}/app/tealine/record/shipment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        barcode: bags.rows[0]!.barcode,
        request_code: Number(shipment.request_code),
        shipment_code: Number(shipment.shipment_code),
        amount: 5,
      }),
    });
    expect(allocated.status).toBe(200);
    const traceId = parseTraceparent(allocated.headers.get('traceparent') ?? undefined)?.traceId;
    const requestId = allocated.headers.get('x-request-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(requestId).toBeTruthy();

    // The event processing wrote with the allocation names the trace and the user.
    const outbox = await sql<{ id: string; metadata: string }>`
      select id, metadata from outbox where type = 'allocation.changed' and aggregate_id = ${`${shipment.request_code}/${shipment.shipment_code}`}`.execute(
      platform.node('processing').database.db,
    );
    expect(outbox.rows).toHaveLength(1);
    const eventId = outbox.rows[0]!.id;
    const stored = JSON.parse(outbox.rows[0]!.metadata) as Record<string, unknown>;
    expect(stored).toMatchObject({ requestId, actor: OFFICER_ID, actorType: 'user', user: OFFICER_ID, principal: 'gateway' });
    expect(parseTraceparent(stored.traceparent as string)?.traceId).toBe(traceId);

    // Sync captures it from processing's feed and delivers it to orders; wait until orders applied it.
    const ordersDb = platform.node('orders').database.db;
    const applied = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from inbox where event_id = ${eventId}`.execute(ordersDb)).rows[0]!.n;
    for (let attempt = 0; attempt < 200 && (await applied()) === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await applied()).toBe(1);

    const captured = await sql<{ metadata: Record<string, unknown>; source_user: string | null }>`
      select metadata, source_user from sync_events where event_id = ${eventId}`.execute(platform.node('sync').database.db);
    expect(captured.rows).toHaveLength(1);
    expect(captured.rows[0]!.source_user).toBe(OFFICER_ID);
    expect(parseTraceparent(captured.rows[0]!.metadata.traceparent as string)?.traceId).toBe(traceId);

    // Every hop's own log records carry the one trace id (and the first request's id).
    const inTrace = (service: string, match: (record: LogRecord) => boolean) =>
      logs.filter((record) => record.service === service && record.traceId === traceId && match(record));
    const completed = (method: string, route: string) => (record: LogRecord) =>
      record.msg === 'request completed' && record.method === method && record.route === route;
    const gatewayLine = inTrace('gateway', (record) => record.msg === 'request completed' && record.method === 'POST')[0];
    const processingLine = inTrace('processing', completed('POST', '/app/tealine/record/shipment'))[0];
    const syncLine = inTrace('sync', (record) => record.msg === 'delivering event' && record.eventId === eventId)[0];
    const ordersLine = inTrace('orders', completed('POST', '/internal/events'))[0];
    for (const line of [gatewayLine, processingLine, syncLine, ordersLine]) expect(line).toBeDefined();
    expect([gatewayLine!.reqId, processingLine!.reqId, syncLine!.requestId, ordersLine!.reqId]).toEqual([
      requestId,
      requestId,
      requestId,
      requestId,
    ]);
    // Each hop opened its own span in that trace.
    expect(new Set([gatewayLine!.spanId, processingLine!.spanId, syncLine!.spanId, ordersLine!.spanId]).size).toBe(4);
  }, 120_000);

  it('answers a trace code of any length through the gateway with a code of the catalogue, never a bare 414', async () => {
    const gateway = platform.node('gateway').url;
    const login = await fetch(`${gateway}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USER, password: 'tributary-demo' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const trace = async (code: string) => {
      const response = await fetch(`${gateway}/app/trace/${code}`, { headers: { authorization: `Bearer ${accessToken}` } });
      return { status: response.status, code: ((await response.json()) as { code?: string }).code };
    };
    // Longer than the router's old limit (100) and within the route's own (300): processing's own rule answers.
    expect(await trace('L'.repeat(150))).toEqual({ status: 400, code: 'TRACE_CODE_INVALID' });
    // Past the route's limit: its schema refuses it.
    expect(await trace('L'.repeat(301))).toEqual({ status: 400, code: 'REQUEST_VALIDATION_FAILED' });
    // Past what any route accepts: the router refuses it, with the kernel's code.
    expect(await trace('L'.repeat(1500))).toEqual({ status: 414, code: 'REQUEST_PARAM_TOO_LONG' });
  }, 60_000);
});
