import { expect } from 'vitest';
import { planRow } from '../../../cli/src/commands/reconcile-mtp.support.js';
import { apiAs, type ConsoleRig } from './harness.js';

type Api = Awaited<ReturnType<typeof apiAs>>;

/** The answer of a call that must succeed, with the step named when it does not. */
async function ok<T>(response: Promise<Response>, step: string): Promise<T> {
  const answer = await response;
  const text = await answer.text();
  expect(answer.ok, `${step}: ${answer.status} ${text}`).toBe(true);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface BatchKey {
  item_code: string;
  created_ts: number;
}

/** What the trader, gatepass, parcel and trace cases work on: one tea flow, seeded once through the gateway. */
export interface SeededFlow {
  order: string;
  lot: string;
  /** Batches waiting for a trader (the trader cases decide them). */
  toAllow: BatchKey;
  toElevate: BatchKey;
  /** Waiting for the Seeduwa officer to ask the traders. */
  pending: BatchKey;
  /** The allowed batch whose output bags were dispatched. */
  shipped: BatchKey;
  vehicle: string;
  /** Dispatched shipments (request codes, shipment 1 each) and their bags' label codes. */
  requests: number[];
  labels: string[];
}

const ORDER = 'ORD-UI-GATE';
const LOT = 'T-UI-0601';
const VEHICLE = 'WP-LM-4417';

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  // Orders and processing meet through the sync service's outbox polling: wait for it, bounded.
  await expect.poll(check, { timeout: 30_000, interval: 250, message: what }).toBe(true);
}

async function seed(rig: ConsoleRig): Promise<SeededFlow> {
  const [admin, planner, officer, seeduwa, trader]: Api[] = await Promise.all(
    ['admin', 'grandpass-admin', 'grandpass-officer', 'seeduwa-officer', 'trader-officer'].map((user) => apiAs(rig, user)),
  );
  await ok(planner!.call('POST', '/order/plan', [planRow(ORDER)]), 'plan');
  const requests: number[] = [];
  for (const requirement of ['30', '25'])
    requests.push(
      (
        await ok<Array<{ request_code: number }>>(
          officer!.call('POST', '/order', [{ order_code: ORDER, product_name: 'Breakfast blend', requirement, status: 'ORDER_REQUESTED' }]),
          'request',
        )
      )[0]!.request_code,
    );
  for (const request_code of requests)
    await ok(seeduwa!.call('POST', '/order/shipment/event', [{ request_code, shipment_code: 1, status: 'ORDER_READY' }]), 'ready');

  const lot = await ok<BatchKey>(
    admin!.call('POST', '/app/admin/tealine', {
      item_code: LOT,
      invoice_no: 'INV-UI-0601',
      garden: 'Kenilworth',
      broker: 'Asia Siyaka',
      no_of_bags: 2,
      weight_per_bag: 50,
    }),
    'lot',
  );
  const teaBags: string[] = [];
  for (let i = 0; i < 2; i++)
    teaBags.push(
      (
        await ok<{ barcode: string }>(
          seeduwa!.call('POST', '/app/tealine/record', { ...lot, store_location: 'SEEDUWA-STORE-A', gross_weight: 51, bag_weight: 1 }),
          'tea bag',
        )
      ).barcode,
    );
  await ok(
    admin!.call('POST', '/app/admin/blendsheet', {
      blendsheet_no: 'BS-UI-0601',
      standard: 'STD-EB-12',
      remarks: 'Breakfast blend',
      total: 200,
      blend_code: 'BLT00192',
      no_of_batches: 4,
      mixtures: {},
    }),
    'blendsheet',
  );
  const batches: BatchKey[] = [];
  for (let i = 0; i < 4; i++) {
    const batch = await ok<BatchKey>(seeduwa!.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS-UI-0601' }), 'batch');
    const key = { item_code: batch.item_code, created_ts: batch.created_ts };
    // QC readings put the batch before the traders (TRADER_PENDING).
    await ok(seeduwa!.call('PUT', '/app/blendsheet/batch', { ...key, humidity: 3.1, density: 0.41 }), 'qc');
    batches.push(key);
  }
  const [shipped, toAllow, toElevate, pending] = batches as [BatchKey, BatchKey, BatchKey, BatchKey];
  for (const key of [shipped, toAllow, toElevate])
    await ok(seeduwa!.call('POST', '/trader', [{ ...key, trader_status: 'TRADER_REQUESTED' }]), 'trader requested');
  await ok(trader!.call('PUT', '/trader', [{ ...shipped, trader_status: 'TRADER_ALLOWED' }]), 'trader allowed');

  await ok(seeduwa!.call('POST', '/app/tealine/record/blendsheet', { barcode: teaBags[0], ...shipped, amount: 45 }), 'ingredient');
  await ok(seeduwa!.call('POST', '/app/tealine/record/blendsheet', { barcode: teaBags[1], ...shipped, amount: 15 }), 'ingredient');
  const outputs: string[] = [];
  for (const gross of [31, 26])
    outputs.push(
      (
        await ok<{ barcode: string }>(
          seeduwa!.call('POST', '/app/blendsheet/record', {
            ...shipped,
            store_location: 'SEEDUWA-STORE-A',
            gross_weight: gross,
            bag_weight: 1,
          }),
          'output bag',
        )
      ).barcode,
    );

  // Processing learns of the ready shipments from orders (through the sync service) before it offers them for dispatch.
  await until(async () => {
    const offered = (await (await seeduwa!.call('GET', '/app/shipment')).json()) as Array<{ request_code: number | string }>;
    return requests.every((code) => offered.some((shipment) => Number(shipment.request_code) === code));
  }, 'processing to offer the ready shipments');
  for (const [index, request_code] of requests.entries())
    await ok(
      seeduwa!.call(
        'POST',
        '/app/shipment/dispatch',
        {
          request_code,
          shipment_code: 1,
          shipment_vehicle: VEHICLE,
          bags: [{ table_name: 'blendsheet', barcode: outputs[index], amount: index === 0 ? '30' : '25' }],
        },
        { 'idempotency-key': `console-gate-${request_code}` },
      ),
      'dispatch',
    );
  await until(async () => {
    const all = (await (await officer!.call('GET', '/order')).json()) as Array<{
      request_code: number;
      shipments: Array<{ status: string }>;
    }>;
    return requests.every((code) => all.find((request) => request.request_code === code)?.shipments[0]?.status === 'SHIPMENT_DISPATCHED');
  }, 'orders to record the dispatch');

  return {
    order: ORDER,
    lot: LOT,
    toAllow,
    toElevate,
    pending,
    shipped,
    vehicle: VEHICLE,
    requests,
    labels: outputs.map((barcode) => `blendsheet:${barcode}`),
  };
}

let seeded: Promise<SeededFlow> | undefined;

/** Seeded on first use and shared, so each case file adds only its own browser time. */
export function seededFlow(rig: ConsoleRig): Promise<SeededFlow> {
  seeded ??= seed(rig);
  return seeded;
}

/** The seeded flow with its shipments received at Grandpass (by the gatepass case, or here when it did not run). */
export async function acceptedFlow(rig: ConsoleRig): Promise<SeededFlow> {
  const flow = await seededFlow(rig);
  const gatepass = await apiAs(rig, 'grandpass-gatepass');
  const all = (await (await gatepass.call('GET', '/order')).json()) as Array<{
    request_code: number;
    shipments: Array<{ status: string }>;
  }>;
  const waiting = flow.requests.filter(
    (code) => all.find((request) => request.request_code === code)?.shipments[0]?.status !== 'SHIPMENT_ACCEPTED',
  );
  if (waiting.length > 0)
    await ok(
      gatepass.call(
        'POST',
        '/order/shipment/event',
        waiting.map((request_code) => ({ request_code, shipment_code: 1, status: 'SHIPMENT_ACCEPTED', shipment_remarks: 'Received' })),
      ),
      'accepted',
    );
  return flow;
}
