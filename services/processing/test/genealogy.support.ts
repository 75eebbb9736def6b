import { expect } from 'vitest';
import type { Harness } from './support.js';

export type Call = (
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  roles?: string[],
) => Promise<{ status: number; body: any }>;

export interface Lot {
  item_code: string;
  created_ts: number;
  id: string;
  bags: string[];
}
export interface Batch {
  item_code: string;
  created_ts: number;
  id: string;
  outputs: string[];
}

/** Builds the processing side of the MTP flow through its own API, refusing to go on past a failed step. */
export function flowBuilder(call: Call) {
  const ok = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, roles?: string[]) => {
    const answer = await call(method, path, body, roles);
    expect({ path, status: answer.status, body: answer.status === 200 ? 'ok' : answer.body }).toEqual({ path, status: 200, body: 'ok' });
    return answer.body;
  };
  return {
    ok,
    async location(name = 'STORE-A') {
      const answer = await call('POST', '/app/admin/location', { location_name: name, herbline_section: false });
      expect([200, 409]).toContain(answer.status);
    },
    async lot(item_code: string, extra: { invoice_no?: string; garden?: string; broker?: string }, nets: number[]): Promise<Lot> {
      const key = await ok('POST', '/app/admin/tealine', { item_code, no_of_bags: nets.length, weight_per_bag: 50, ...extra });
      const bags: string[] = [];
      for (const net of nets)
        bags.push(
          (await ok('POST', '/app/tealine/record', { ...key, store_location: 'STORE-A', gross_weight: net + 1, bag_weight: 1 })).barcode,
        );
      return { ...key, id: `lot:tealine:${item_code}@${key.created_ts}`, bags };
    },
    /** A blend batch fed from the given bags, QC'd, trader-allowed, with output bags of the given nets. */
    async blend(sheet: string, inputs: { barcode: string; amount: number }[], outputs: number[]): Promise<Batch> {
      await ok('POST', '/app/admin/blendsheet', {
        blendsheet_no: sheet,
        standard: 'S',
        remarks: 'r',
        total: 1000,
        no_of_batches: 1,
        mixtures: {},
      });
      const made = await ok('POST', '/app/blendsheet/batch', { blendsheet_no: sheet });
      const key = { item_code: made.item_code, created_ts: made.created_ts };
      for (const input of inputs)
        await ok('POST', '/app/tealine/record/blendsheet', { barcode: input.barcode, ...key, amount: input.amount });
      const bags: string[] = [];
      for (const net of outputs)
        bags.push(
          (await ok('POST', '/app/blendsheet/record', { ...key, store_location: 'STORE-A', gross_weight: net + 1, bag_weight: 1 })).barcode,
        );
      await ok('PUT', '/app/blendsheet/batch', { ...key, humidity: 3, density: 1 });
      await ok('PUT', '/app/trader/blendsheet/batch', { ...key, trader_status: 'TRADER_REQUESTED' }, ['SEEDUWA-OFFICER']);
      await ok('PUT', '/app/trader/blendsheet/batch', { ...key, trader_status: 'TRADER_ALLOWED' }, ['TRADER-OFFICER']);
      return { ...key, id: `batch:blendsheet:${key.item_code}@${key.created_ts}`, outputs: bags };
    },
    ship: (table: string, barcode: string, request_code: number, shipment_code: number, amount: number) =>
      ok('POST', `/app/${table}/record/shipment`, { barcode, request_code, shipment_code, amount }),
    parcel: (table: string, barcode: string, request_code: number, shipment_code: number, schedule_code: number, reduced_by: number) =>
      ok('POST', `/app/${table}/record/parcel`, { barcode, request_code, shipment_code, schedule_code, reduced_by }),
  };
}

export const harnessCall =
  (h: Harness): Call =>
  (method, path, body, roles) =>
    h.call(method, path, body, roles);

export const trace = (call: Call, code: string, roles?: string[]) =>
  call('GET', `/app/trace/${encodeURIComponent(code)}`, undefined, roles);

/** The graph as sorted id lists and `from -relation(kg)-> to` lines, for whole-graph assertions. */
export function shape(graph: {
  nodes: { id: string }[];
  edges: { from: string; to: string; relation: string; quantityKg: string | null }[];
}) {
  return {
    nodes: graph.nodes.map((n) => n.id).sort(),
    edges: graph.edges.map((e) => `${e.from} -${e.relation}${e.quantityKg === null ? '' : `(${e.quantityKg})`}-> ${e.to}`).sort(),
  };
}
