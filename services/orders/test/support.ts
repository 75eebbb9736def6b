import { ManualClock } from '@tributary/platform/core';
import type { HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import { readOutbox, type OutboxEvent } from '@tributary/platform/outbox';
import type { ServiceContext } from '@tributary/platform/service';
import {
  testServiceContext,
  signedInject,
  startedForSuite,
  testCredentials,
  testKeyring,
  TEST_SCOPE,
  type TestDatabase,
  type TestDatabaseTarget,
} from '@tributary/platform/testing';
import { identityHeaders, signRequest } from '@tributary/platform/auth';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import { service } from '../src/service.js';
import { PLAN_ROW } from '../src/testing/index.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface OrdersHarness {
  app: HttpApp;
  handle: TestDatabase;
  clock: ManualClock;
  context: ServiceContext;
  /** A request as the gateway forwards it for a user of `group`. */
  as(
    group: string | string[],
    method: Method,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): ReturnType<typeof signedInject>;
  /** A request signed by a peer service (processing, sync) with no user. */
  asService(
    principal: string,
    method: Method,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): ReturnType<typeof signedInject>;
  /** Row counts of every table, to prove a refused request wrote nothing. */
  counts(): Promise<Record<string, number>>;
  outboxAfter(sequence: string): Promise<OutboxEvent[]>;
  close(): Promise<void>;
}

const keyring = testKeyring();
const TABLES = [
  'admin.user',
  'order_plan',
  'order_plan_raw',
  'order_request',
  'order_shipment',
  'order_shipment_event',
  'order_schedule',
  'outbox',
] as const;

export async function startOrders(
  target: TestDatabaseTarget,
  env: Record<string, string> = {},
  peers: Record<string, string> = {},
): Promise<OrdersHarness> {
  const handle = await target.create();
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 8, 0, 0));
  const context: ServiceContext = testServiceContext('orders', handle.database, { clock, keyring, env, peers });
  await migrateToLatest(handle.database, service.migrations);
  const app = (await service.buildApp(context)) as HttpApp;
  await app.ready();
  const db = handle.database.db;
  return {
    app,
    handle,
    clock,
    context,
    as: (group, method, url, body, headers) =>
      signedInject(
        app,
        {
          method,
          url,
          ...(body !== undefined ? { body } : {}),
          identity: { user: `user-${[group].flat().join('+')}`, roles: [group].flat() },
          ...(headers ? { headers } : {}),
        },
        testCredentials('gateway', keyring),
      ),
    asService: (principal, method, url, body, headers) =>
      signedInject(
        app,
        { method, url, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) },
        testCredentials(principal, keyring),
      ),
    counts: async () => {
      const result: Record<string, number> = {};
      for (const table of TABLES) {
        const row = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        result[table] = Number(row.n);
      }
      return result;
    },
    outboxAfter: async (sequence) => (await readOutbox(db, sequence, 1000)).events,
    close: async () => {
      await app.close();
      await handle.destroy();
    },
  };
}

/** An orders harness for the enclosing describe, started before its tests and closed after them. */
export function useOrders(target: TestDatabaseTarget): OrdersHarness {
  return startedForSuite(
    () => startOrders(target),
    (harness) => harness.close(),
  );
}

export async function lastSequence(harness: OrdersHarness): Promise<string> {
  let cursor = '0';
  for (;;) {
    const page = await readOutbox(harness.handle.database.db, cursor, 1000);
    if (page.events.length === 0) return cursor;
    cursor = page.next;
  }
}

/** The harness's app listening on a free port, and a client signing as `principal` against it (over real HTTP). */
export async function listeningClient(harness: OrdersHarness, principal: string): Promise<ServiceClient> {
  const url = await harness.app.listen({ host: '127.0.0.1', port: 0 });
  return createServiceClient({
    name: 'orders',
    baseUrl: url,
    credentials: testCredentials(principal, harness.context.keyring),
    scope: TEST_SCOPE,
  });
}

export { PLAN_ROW };

/** A plan and one request in the wanted starting status; returns the request code. */
export async function planAndRequest(
  harness: OrdersHarness,
  options: { orderCode?: string; planKg?: string; requestKg?: string; status?: 'ORDER_REQUESTED' | 'APPROVAL_REQUESTED' } = {},
): Promise<number> {
  const orderCode = options.orderCode ?? `ORD-${Math.random().toString(36).slice(2, 10)}`;
  const plan = await harness.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [
    PLAN_ROW({ order_code: orderCode, requirement: options.planKg ?? '1000' }),
  ]);
  if (plan.statusCode !== 200) throw new Error(`plan upload failed: ${plan.body}`);
  const created = await harness.as('GRANDPASS-OFFICER', 'POST', '/order', [
    {
      order_code: orderCode,
      product_name: 'Breakfast blend',
      requirement: options.requestKg ?? '100',
      status: options.status ?? 'ORDER_REQUESTED',
    },
  ]);
  if (created.statusCode !== 200) throw new Error(`order failed: ${created.body}`);
  return created.json()[0].request_code as number;
}

/**
 * The kernel's signedInject serialises every non-string body as JSON; uploads need the bytes
 * signed and sent as they are.
 */
export async function signedBytes(
  harness: OrdersHarness,
  group: string,
  url: string,
  body: Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
) {
  const signed = await signRequest(
    {
      method: 'POST',
      url: `http://localhost${url}`,
      headers: { 'content-type': contentType, ...identityHeaders({ user: `user-${group}`, roles: [group] }), ...headers },
      body,
    },
    testCredentials('gateway', keyring),
    TEST_SCOPE,
  );
  return harness.app.inject({ method: 'POST', url, headers: signed, payload: Buffer.from(body) });
}

export async function multipartOf(
  fields: Record<string, Blob | string>,
  fileName = 'plan.xlsx',
): Promise<{ body: Uint8Array; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, fileName);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** A request whose first shipment has been made ready, dispatched on `vehicle` and accepted at the gate; returns the request code. */
export async function receivedRequest(
  harness: OrdersHarness,
  options: { orderCode: string; requestKg: string; vehicle: string; remarks: string },
): Promise<number> {
  const rc = await planAndRequest(harness, { orderCode: options.orderCode, requestKg: options.requestKg });
  await harness.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [{ request_code: rc, shipment_code: 1, status: 'ORDER_READY' }]);
  await harness.asService('processing', 'POST', '/order/shipment/event', [
    { request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: options.vehicle },
  ]);
  await harness.as('GRANDPASS-GATEPASS', 'POST', '/order/shipment/event', [
    { request_code: rc, shipment_code: 1, status: 'SHIPMENT_ACCEPTED', shipment_remarks: options.remarks },
  ]);
  return rc;
}
