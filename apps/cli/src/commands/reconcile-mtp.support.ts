import type { HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import { createServiceClient, type ServiceClient, type ServiceMethod, type ServiceResponse } from '@tributary/platform/resilience';
import type { OutboxPage } from '@tributary/platform/outbox';
import type { ServiceContext, ServiceDefinition } from '@tributary/platform/service';
import {
  freePort,
  startedForSuite,
  TEST_SCOPE,
  testCredentials,
  type TestDatabase,
  type TestDatabaseTarget,
  testKeyring,
  testServiceContext,
} from '@tributary/platform/testing';
import { service as ordersService } from '@tributary/orders/service';
import { PLAN_ROW } from '@tributary/orders/testing';
import { service as processingService } from '@tributary/processing/service';

/**
 * What the flow steps below need: the two services and a call as a user of an MTP group. The
 * rig's signed calls satisfy it, and so does a client that goes through the gateway as real users.
 */
export interface MtpCaller<N> {
  orders: N;
  processing: N;
  /** A call as a user of `group` (null: as a service); the rig signs it as the gateway would forward it. */
  call(
    node: N,
    group: string | null,
    method: ServiceMethod,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ServiceResponse<any>>;
}

/**
 * Orders and processing as two real listening servers on two separate databases, calling each
 * other with their own SigV4 keys. The test plays the gateway (signed, with a user's group) and
 * the sync service (carrying each outbox's events to the other's POST /internal/events).
 */
export interface MtpPair extends MtpCaller<Node> {
  /** Carries every new outbox event of each service to the other, as the sync service does. */
  sync(): Promise<{ toProcessing: number; toOrders: number }>;
  stopOrders(): Promise<void>;
  startOrders(): Promise<void>;
  close(): Promise<void>;
}

interface Node {
  name: string;
  url: string;
  handle: TestDatabase;
  app: HttpApp | undefined;
  context: ServiceContext;
  definition: ServiceDefinition;
  port: number;
  cursor: string;
}

const keyring = testKeyring();

export async function startMtpPair(target: TestDatabaseTarget, env: Record<string, string> = {}): Promise<MtpPair> {
  const [ordersPort, processingPort] = [await freePort(), await freePort()];
  const peers = { orders: `http://127.0.0.1:${ordersPort}`, processing: `http://127.0.0.1:${processingPort}` };
  const make = async (definition: ServiceDefinition, port: number): Promise<Node> => {
    const handle = await target.create();
    await migrateToLatest(handle.database, definition.migrations);
    const context = testServiceContext(definition.name, handle.database, { peers, env, keyring });
    return { name: definition.name, url: `http://127.0.0.1:${port}`, handle, app: undefined, context, definition, port, cursor: '0' };
  };
  const start = async (node: Node) => {
    node.app = (await node.definition.buildApp(node.context)) as HttpApp;
    await node.app.listen({ host: '127.0.0.1', port: node.port });
  };
  const orders = await make(ordersService, ordersPort);
  const processing = await make(processingService, processingPort);
  await start(orders);
  await start(processing);

  const clients = new Map<string, ServiceClient>();
  const clientFor = (node: Node, principal: string) => {
    const key = `${node.name}:${principal}`;
    if (!clients.has(key)) {
      clients.set(
        key,
        createServiceClient({
          name: key,
          baseUrl: node.url,
          credentials: testCredentials(principal, keyring),
          scope: TEST_SCOPE,
          timeoutMs: 20_000,
          retry: { maxAttempts: 1, baseMs: 0, capMs: 0 },
          breaker: { consecutiveFailures: 1_000_000, minimumRequests: 1_000_000 },
        }),
      );
    }
    return clients.get(key)!;
  };

  const call: MtpPair['call'] = (node, group, method, path, body, headers) => {
    const [pathname, search] = path.split('?');
    const query = Object.fromEntries(new URLSearchParams(search ?? ''));
    return clientFor(node, group ? 'gateway' : 'cli').request({
      method,
      path: pathname!,
      query,
      ...(body !== undefined ? { body } : {}),
      ...(group ? { identity: { user: `user-${group}`, roles: [group] } } : {}),
      ...(headers ? { headers } : {}),
    });
  };

  const carry = async (from: Node, to: Node): Promise<number> => {
    let carried = 0;
    for (;;) {
      const page = await clientFor(from, 'sync').json<OutboxPage>({
        method: 'GET',
        path: '/internal/outbox',
        query: { after: from.cursor, limit: 500 },
      });
      for (const event of page.events) {
        const envelope = {
          id: event.id,
          source: from.name,
          sequence: event.sequence,
          aggregateType: event.aggregateType,
          aggregateId: event.aggregateId,
          type: event.type,
          payload: event.payload,
          createdAt: event.createdAt,
        };
        const answer = await clientFor(to, 'sync').request({
          method: 'POST',
          path: '/internal/events',
          body: envelope,
          idempotencyKey: event.id,
        });
        if (answer.status !== 200) throw new Error(`${to.name} refused ${event.type}: ${answer.status} ${JSON.stringify(answer.body)}`);
        carried++;
      }
      from.cursor = page.next;
      if (!page.hasMore && page.events.length === 0) return carried;
      if (!page.hasMore) return carried;
    }
  };

  return {
    orders,
    processing,
    call,
    sync: async () => ({ toProcessing: await carry(orders, processing), toOrders: await carry(processing, orders) }),
    stopOrders: async () => {
      await orders.app?.close();
      orders.app = undefined;
    },
    startOrders: () => start(orders),
    close: async () => {
      await Promise.allSettled([...clients.values()].map((client) => client.close()));
      await orders.app?.close();
      await processing.app?.close();
      await orders.handle.destroy();
      await processing.handle.destroy();
    },
  };
}

/** Orders and processing for the enclosing describe, started before its tests and closed after them. */
export function useMtpPair(target: TestDatabaseTarget, env: Record<string, string> = {}): MtpPair {
  return startedForSuite(
    () => startMtpPair(target, env),
    (mtp) => mtp.close(),
  );
}

/** One row of an MTP production plan upload (`POST /order/plan`) for the given order. */
export function planRow(orderCode: string, overrides: Record<string, unknown> = {}) {
  return PLAN_ROW({ order_code: orderCode, ...overrides });
}

/** The officer's requests for Blend against planned orders; returns their request codes in order. */
export async function requestOrders<const R extends ReadonlyArray<{ order_code: string; requirement: string }>>(
  mtp: MtpPair,
  requests: R,
): Promise<{ [K in keyof R]: number }> {
  const rows = requests.map(({ order_code, requirement }) => ({
    order_code,
    product_name: 'Blend',
    requirement,
    status: 'ORDER_REQUESTED',
  }));
  const created = ok(await mtp.call(mtp.orders, 'GRANDPASS-OFFICER', 'POST', '/order', rows), 'requests');
  // One request code per row sent, in order: the tuple the caller destructures.
  return created.map((r: { request_code: number | string }) => Number(r.request_code)) as { [K in keyof R]: number };
}

/**
 * A store location outside the herbline section. The processing steps act as the Seeduwa
 * officer: the gateway's access model lets only that group write processing's `/app/*`, so the
 * same steps also run through a gateway as real users.
 */
export async function storeLocation<N>(mtp: MtpCaller<N>, name: string): Promise<void> {
  const body = { location_name: name, herbline_section: false };
  ok(await mtp.call(mtp.processing, 'SEEDUWA-OFFICER', 'POST', '/app/admin/location', body), `location ${name}`);
}

/** A tealine lot; returns its item key (item_code, created_ts). */
export async function tealineLot<N>(mtp: MtpCaller<N>, lot: { item_code: string } & Record<string, unknown>) {
  return ok(await mtp.call(mtp.processing, 'SEEDUWA-OFFICER', 'POST', '/app/admin/tealine', lot), `lot ${lot.item_code}`);
}

/** Weighs `count` bags of one item in at a store location (1 kg bag, `grossKg` gross); returns their barcodes in order. */
export async function weighBags<N>(
  mtp: MtpCaller<N>,
  path: string,
  item: object,
  storeLocation: string,
  count: number,
  grossKg: number,
): Promise<string[]> {
  const barcodes: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = { ...item, store_location: storeLocation, gross_weight: grossKg, bag_weight: 1 };
    barcodes.push(ok(await mtp.call(mtp.processing, 'SEEDUWA-OFFICER', 'POST', path, body), `bag ${i + 1} at ${path}`).barcode);
  }
  return barcodes;
}

/** The body of a 200 answer; anything else stops the flow with what was asked and what came back. */
export function ok<T = any>(response: { status: number; body: T }, what: string): T {
  if (response.status !== 200) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** What one run of {@link shipmentFlow} made, for the checks that follow it. */
export interface ShippedOrder {
  requestCode: number;
  lotBarcodes: string[];
  blendBarcodes: string[];
  batch: { item_code: string; created_ts: string };
}

/**
 * One order from plan to accepted shipment: plan → request → tealine lot and bags → blendsheet
 * batch with an ingredient, output bags and QC → trader allowed → ORDER_READY → dispatch →
 * SHIPMENT_ACCEPTED. `settle` runs where the flow needs the other service to have seen the
 * events so far (the rig carries them itself; a deployment waits for its sync workers). Every
 * code carries `tag`, so several flows can run on one pair of databases.
 */
export async function shipmentFlow<N>(mtp: MtpCaller<N>, tag: string, settle: () => Promise<unknown>): Promise<ShippedOrder> {
  const { orders, processing, call } = mtp;
  const order = `ORD-${tag}`;
  ok(await call(orders, 'GRANDPASS-ADMIN', 'POST', '/order/plan', [planRow(order)]), 'plan');
  const request = { order_code: order, product_name: 'Breakfast blend', requirement: '30', status: 'ORDER_REQUESTED' };
  const requestCode = Number(ok(await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order', [request]), 'request')[0].request_code);

  const store = `STORE-${tag}`;
  await storeLocation(mtp, store);
  const lot = await tealineLot(mtp, { item_code: `T-${tag}`, no_of_bags: 2, weight_per_bag: 50 });
  const lotBarcodes = await weighBags(mtp, '/app/tealine/record', lot, store, 2, 51);
  const sheet = { blendsheet_no: `BS-${tag}`, standard: 'S', remarks: 'r', total: 60, no_of_batches: 1, mixtures: {} };
  ok(await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/admin/blendsheet', sheet), 'blendsheet');
  const made = ok(
    await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/blendsheet/batch', { blendsheet_no: sheet.blendsheet_no }),
    'batch',
  );
  const batch = { item_code: String(made.item_code), created_ts: String(made.created_ts) };
  for (const barcode of lotBarcodes)
    ok(
      await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/tealine/record/blendsheet', { barcode, ...batch, amount: 30 }),
      'ingredient',
    );
  const blendBarcodes = await weighBags(mtp, '/app/blendsheet/record', batch, store, 1, 31);
  ok(await call(processing, 'SEEDUWA-OFFICER', 'PUT', '/app/blendsheet/batch', { ...batch, humidity: 3, density: 0.4 }), 'qc');
  // POST raises the trader request (the role document's verb; the gateway lets the officer POST only).
  ok(await call(orders, 'SEEDUWA-OFFICER', 'POST', '/trader', [{ ...batch, trader_status: 'TRADER_REQUESTED' }]), 'trader requested');
  ok(await call(orders, 'TRADER-OFFICER', 'PUT', '/trader', [{ ...batch, trader_status: 'TRADER_ALLOWED' }]), 'trader allowed');

  const ready = { request_code: requestCode, shipment_code: 1, status: 'ORDER_READY' };
  ok(await call(orders, 'SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [ready]), 'ready');
  await settle();
  const dispatch = {
    request_code: requestCode,
    shipment_code: 1,
    shipment_vehicle: `WP-${tag}`,
    bags: [{ table_name: 'blendsheet', barcode: blendBarcodes[0], amount: '30' }],
  };
  ok(
    await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/shipment/dispatch', dispatch, { 'idempotency-key': `dispatch-${tag}` }),
    'dispatch',
  );
  await settle();
  const accepted = { request_code: requestCode, shipment_code: 1, status: 'SHIPMENT_ACCEPTED', shipment_remarks: 'sealed' };
  ok(await call(orders, 'GRANDPASS-GATEPASS', 'POST', '/order/shipment/event', [accepted]), 'accepted');
  await settle();
  return { requestCode, lotBarcodes, blendBarcodes, batch };
}
