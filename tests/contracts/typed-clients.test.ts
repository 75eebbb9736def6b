import { ordersApi, processingApi, type CallOptions } from '@tributary/contracts';
import { NEXT_CURSOR_HEADER, silentLogger } from '@tributary/platform/core';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import { testAuth, testCredentials, testKeyring } from '@tributary/platform/testing';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Seen {
  method: string;
  url: string;
  body: unknown;
  principal: string | undefined;
  user: string | undefined;
  roles: readonly string[];
  headers: Record<string, string | string[] | undefined>;
}

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const OPTIONS: CallOptions = {
  identity: { user: 'officer-1', roles: ['SEEDUWA-OFFICER'] },
  requestId: 'req-typed-1',
  traceparent: TRACEPARENT,
  headers: { 'x-caller-note': 'kept' },
};

/**
 * A real signed peer that records each request and answers a fixed body: what the typed
 * clients put on the wire (method, path, query, body, identity, trace, per-call headers, key).
 */
async function recordingPeer(keyring: ReturnType<typeof testKeyring>) {
  const seen: Seen[] = [];
  const app: HttpApp = await createHttpApp({ name: 'peer', logger: silentLogger(), auth: testAuth(keyring) });
  app.all('/*', async (request: FastifyRequest, reply) => {
    seen.push({
      method: request.method,
      url: request.url,
      body: request.body,
      principal: request.identity?.principal,
      user: request.identity?.user,
      roles: request.identity?.roles ?? [],
      headers: request.headers,
    });
    const query = request.query as Record<string, string>;
    if (query.limit === '2' && request.url.startsWith('/order?')) void reply.header(NEXT_CURSOR_HEADER, 'abc');
    if (request.url.startsWith('/internal/reconcile')) return { rows: [], next: null };
    return request.method === 'GET' ? [] : [{ answered: request.url }];
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, seen };
}

describe('typed inter-service clients', () => {
  const keyring = testKeyring();
  let peer: Awaited<ReturnType<typeof recordingPeer>>;
  let client: ServiceClient;
  beforeAll(async () => {
    peer = await recordingPeer(keyring);
    client = createServiceClient({
      name: 'peer',
      baseUrl: peer.url,
      credentials: testCredentials('processing', keyring),
      retry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
    });
  });
  afterAll(async () => {
    await client.close();
    await peer.app.close();
  });

  const last = () => peer.seen.at(-1)!;
  const expectCarried = (seen: Seen, key?: string) => {
    expect(seen).toMatchObject({ principal: 'processing', user: 'officer-1', roles: ['SEEDUWA-OFFICER'] });
    expect([
      seen.headers['x-request-id'],
      seen.headers.traceparent,
      seen.headers['x-caller-note'],
      seen.headers['idempotency-key'],
    ]).toEqual(['req-typed-1', TRACEPARENT, 'kept', key]);
  };

  it("sends each orders call to orders' documented path with the caller's identity, trace and headers", async () => {
    const api = ordersApi(client);
    await api.listOrders({ status: 'ORDER_READY', request_code: 12 }, OPTIONS);
    expect([last().method, last().url]).toEqual(['GET', '/order?status=ORDER_READY&request_code=12']);
    expectCarried(last());

    expect(await api.listOrdersPage({ limit: 2 }, OPTIONS)).toEqual({ items: [], next: 'abc' });
    expect(await api.listOrdersPage({ limit: 3, cursor: 'abc' }, OPTIONS)).toEqual({ items: [], next: null });
    expect(last().url).toBe('/order?limit=3&cursor=abc');

    const change = [{ request_code: 12, shipment_code: 1, quantity: '40' }];
    await api.updateShipments(change, { ...OPTIONS, idempotencyKey: 'k-split' });
    expect([last().method, last().url, last().body]).toEqual(['PUT', '/order/shipment', change]);
    expectCarried(last(), 'k-split');

    const events = [{ request_code: 12, shipment_code: 1, status: 'SHIPMENT_DISPATCHED' as const, shipment_vehicle: 'WP-1' }];
    await api.addShipmentEvents(events, { ...OPTIONS, idempotencyKey: 'k-event' });
    expect([last().method, last().url, last().body]).toEqual(['POST', '/order/shipment/event', events]);
    expectCarried(last(), 'k-event');

    await api.reconcileShipments({ limit: 5, after: '12:1' });
    expect([last().url, last().user, last().headers['x-caller-note']]).toEqual([
      '/internal/reconcile/mtp/shipments?limit=5&after=12%3A1',
      undefined,
      undefined,
    ]);
  });

  it("sends each processing call to processing's documented path, one allocation path per record table", async () => {
    const api = processingApi(client);
    await api.listTraderBatches('TRADER_REQUESTED', OPTIONS);
    expect(last().url).toBe('/app/trader/blendsheet/batch?trader_status=TRADER_REQUESTED');
    expectCarried(last());
    await api.listTraderBatches(undefined, OPTIONS);
    expect(last().url).toBe('/app/trader/blendsheet/batch');
    await api.setTraderStatus(
      { item_code: 'BLT00192', created_ts: 5, trader_status: 'TRADER_ALLOWED' },
      { ...OPTIONS, idempotencyKey: 'k-trader' },
    );
    expect([last().method, last().url]).toEqual(['PUT', '/app/trader/blendsheet/batch']);
    expectCarried(last(), 'k-trader');
    await api.listShipmentRecords({ request_code: 12, shipment_code: 1 }, OPTIONS);
    expect(last().url).toBe('/app/shipment/record?request_code=12&shipment_code=1');
    await api.listParcelRecords({ schedule_code: 3 }, OPTIONS);
    expect(last().url).toBe('/app/parcel/record?schedule_code=3');
    await api.allocateToShipment('flavorsheet', { barcode: 'b', request_code: 12, shipment_code: 1, amount: '1.000' }, OPTIONS);
    expect([last().method, last().url]).toEqual(['POST', '/app/flavorsheet/record/shipment']);
    await api.allocateToParcel(
      'blendsheet',
      { barcode: 'b', request_code: 12, shipment_code: 1, schedule_code: 3, reduced_by: '1.000' },
      OPTIONS,
    );
    expect([last().method, last().url]).toEqual(['POST', '/app/blendsheet/record/parcel']);
    await api.reconcileAllocations({ limit: 5 });
    expect(last().url).toBe('/internal/reconcile/mtp/allocations?limit=5');
  });
});
