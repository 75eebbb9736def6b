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
 * Orders and processing as two real listening servers on two separate databases, calling each
 * other with their own SigV4 keys. The test plays the gateway (signed, with a user's group) and
 * the sync service (carrying each outbox's events to the other's POST /internal/events).
 */
export interface MtpPair {
  orders: Node;
  processing: Node;
  /** A signed call as the gateway would forward it for a user of `group`. */
  call(
    node: Node,
    group: string | null,
    method: ServiceMethod,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ServiceResponse<any>>;
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

/** A store location outside the herbline section. */
export async function storeLocation(mtp: MtpPair, name: string): Promise<void> {
  const body = { location_name: name, herbline_section: false };
  ok(await mtp.call(mtp.processing, 'SEEDUWA-ADMIN', 'POST', '/app/admin/location', body), `location ${name}`);
}

/** A tealine lot; returns its item key (item_code, created_ts). */
export async function tealineLot(mtp: MtpPair, lot: { item_code: string } & Record<string, unknown>) {
  return ok(await mtp.call(mtp.processing, 'SEEDUWA-ADMIN', 'POST', '/app/admin/tealine', lot), `lot ${lot.item_code}`);
}

/** Weighs `count` bags of one item in at a store location (1 kg bag, `grossKg` gross); returns their barcodes in order. */
export async function weighBags(
  mtp: MtpPair,
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
