import { expect } from 'vitest';
import { apiAs, type ConsoleRig } from './harness.js';

/** The names the whole-flow test gives its material, unlike any other case's, so it shares a rig safely. */
export const TEA = {
  order: 'ORD-FLOW-0801',
  product: 'Ceylon Breakfast 100 bags',
  lot: 'T-FLOW-0801',
  garden: 'Kenilworth',
  sheet: 'BS/FLOW/0801',
  vehicle: 'WP-LF-2207',
  scheduleDay: '2026-05-04',
  /** The same day as the officer types it: the console's date fields read day first. */
  scheduleDayTyped: '04/05/2026',
  section: 'Line Flow',
} as const;

/** What one step leaves for the next: codes the pages handed out. */
export interface TeaFlow {
  request?: number;
  /** The lot's accepted bags (barcodes, bag 1 first). */
  teaBags: string[];
  batch?: string;
  /** The batch's output bags as their labels read (`blendsheet:<barcode>`). */
  outputLabels: string[];
  schedule?: number;
}

type Api = Awaited<ReturnType<typeof apiAs>>;

/** A group's JSON answer to a call that must succeed. */
export async function read<T>(api: Api, method: string, path: string, body?: unknown): Promise<T> {
  const response = await api.call(method, path, body);
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text}`).toBe(200);
  return JSON.parse(text) as T;
}

interface OrderRow {
  request_code: number;
  shipments: Array<{ shipment_code: number; status: string }>;
}

/** The request's first shipment as the orders service holds it now. */
export async function shipmentStatus(rig: ConsoleRig, request: number): Promise<string | undefined> {
  const orders = await read<OrderRow[]>(await apiAs(rig, 'grandpass-officer'), 'GET', '/order');
  return orders.find((row) => row.request_code === request)?.shipments.find((shipment) => shipment.shipment_code === 1)?.status;
}

/** Waits for the orders service to hold `status` (events between the services travel through the sync service's polling). */
export async function untilShipment(rig: ConsoleRig, request: number, status: string): Promise<void> {
  await expect.poll(() => shipmentStatus(rig, request), { timeout: 30_000, interval: 250 }).toBe(status);
}
