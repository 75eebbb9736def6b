import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';

/**
 * The processing calls of the kiosk pages (Accept, Process, Dispatch). Several list endpoints
 * are documented as open objects, so their rows are read here, field by field, into the few
 * shapes the pages use; nothing past this file sees an unchecked row.
 */
export type BagTable = paths['/app/scan']['get']['parameters']['query']['table_name'];
export type ShippableTable =
  paths['/app/shipment/dispatch']['post']['requestBody']['content']['application/json']['bags'][number]['table_name'];
export type ScannedBag = paths['/app/scan']['get']['responses'][200]['content']['application/json'];
export type DispatchResult = paths['/app/shipment/dispatch']['post']['responses'][200]['content']['application/json'];
type Row = Record<string, unknown>;

/** A row's field as text ('' when missing): ids and bigint times travel as numbers or strings. */
export function field(row: Row, key: string): string {
  const value = row[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

const rows = (data: Row[] | Row): Row[] => (Array.isArray(data) ? data : [data]);

export interface Lot {
  table: 'tealine' | 'herbline' | 'blendbalance';
  item_code: string;
  created_ts: string;
  /** The lot's own label fields: garden and broker (tealine), item name (herbline), transfer (blend balance). */
  garden: string;
  broker: string;
  item_name: string;
  transfer_id: string;
  /** Blend balance: the blend the tea is left over from. */
  blend_code: string;
  /** Tealine counts bags, blend balance weighs them in up to its expected kg; herbline has no limit. */
  received_bags: string;
  no_of_bags: string;
  received_kg: string;
  expected_kg: string;
}

export const kioskKeys = {
  all: ['processing'] as const,
  lots: () => [...kioskKeys.all, 'lots', 'incomplete'] as const,
  locations: (herbline: boolean) => [...kioskKeys.all, 'locations', { herbline }] as const,
  blendsheets: () => [...kioskKeys.all, 'blendsheets', 'incomplete'] as const,
  shipments: () => [...kioskKeys.all, 'shipments', 'ready'] as const,
};

/**
 * Lots still receiving bags (§4.5): tealine below its bag count, blend balance below its
 * expected weight (§6.2: accepted like tealine), and every herbline lot.
 */
export const lotsQuery = () =>
  queryOptions({
    queryKey: kioskKeys.lots(),
    queryFn: async ({ signal }): Promise<Lot[]> => {
      const [tealine, herbline, blendbalance] = await Promise.all([
        callApi(api.GET('/app/tealine', { signal })),
        callApi(api.GET('/app/herbline', { signal })),
        callApi(api.GET('/app/blendbalance', { signal })),
      ]);
      const lot = (table: Lot['table'], row: Row): Lot => ({
        table,
        item_code: field(row, 'item_code'),
        created_ts: field(row, 'created_ts'),
        garden: field(row, 'garden'),
        broker: field(row, 'broker'),
        item_name: field(row, 'item_name'),
        transfer_id: field(row, 'transfer_id'),
        blend_code: field(row, 'blend_code'),
        received_bags: field(row, 'received_bags') || '0',
        no_of_bags: field(row, 'no_of_bags'),
        received_kg: field(row, 'received_weight') || '0',
        expected_kg: field(row, 'weight'),
      });
      return [
        ...rows(tealine).map((row) => lot('tealine', row)),
        ...rows(blendbalance).map((row) => lot('blendbalance', row)),
        ...rows(herbline).map((row) => lot('herbline', row)),
      ];
    },
  });

export const locationsQuery = (herbline: boolean) =>
  queryOptions({
    queryKey: kioskKeys.locations(herbline),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/app/location', { params: { query: { herbline_section: herbline } }, signal }))).map(
        (location) => location.store_location,
      ),
  });

export interface Blendsheet {
  blendsheet_no: string;
  standard: string;
  batches: string;
}

/** Blendsheets with batches still to make (§4.5). */
export const blendsheetsQuery = () =>
  queryOptions({
    queryKey: kioskKeys.blendsheets(),
    queryFn: async ({ signal }): Promise<Blendsheet[]> =>
      rows(await callApi(api.GET('/app/blendsheet', { signal }))).map((row) => ({
        blendsheet_no: field(row, 'blendsheet_no'),
        standard: field(row, 'standard'),
        batches: `${field(row, 'created_batches') || '0'} of ${field(row, 'no_of_batches')} batches made`,
      })),
  });

export interface ReadyShipment {
  request_code: number;
  shipment_code: number;
  order_code: string;
  product_name: string;
  /** kg, a decimal string. */
  quantity: string;
}

/** Shipments marked ready, not yet dispatched and not trader-blocked (§6.5 step 1). */
export const readyShipmentsQuery = () =>
  queryOptions({
    queryKey: kioskKeys.shipments(),
    queryFn: async ({ signal }): Promise<ReadyShipment[]> =>
      (await callApi(api.GET('/app/shipment', { signal }))).map((row) => ({
        request_code: Number(field(row, 'request_code')),
        shipment_code: Number(field(row, 'shipment_code')),
        order_code: field(row, 'order_code'),
        product_name: field(row, 'product_name'),
        quantity: field(row, 'quantity'),
      })),
  });

/** One bag as the scanner found it: its record, lot or batch columns, and what is left of it. */
export async function scanBag(table: BagTable, barcode: string): Promise<ScannedBag> {
  return callApi(api.GET('/app/scan', { params: { query: { table_name: table, barcode } } }));
}

export interface NewBag {
  table: 'tealine' | 'herbline' | 'blendbalance' | 'blendsheet';
  item_code: string;
  created_ts: string;
  store_location: string;
  gross_weight: string;
  bag_weight: string;
  /** Herbline only (the supplier's reference). */
  reference?: string;
}

async function recordBag(bag: NewBag) {
  const { table, reference, ...body } = bag;
  if (table === 'herbline') return callApi(api.POST('/app/herbline/record', { body: { ...body, reference: reference ?? '' } }));
  if (table === 'blendsheet') return callApi(api.POST('/app/blendsheet/record', { body }));
  if (table === 'blendbalance') return callApi(api.POST('/app/blendbalance/record', { body }));
  return callApi(api.POST('/app/tealine/record', { body }));
}

/** Every kiosk change refreshes what the kiosk lists (lots fill up, batches and shipments move on). */
export const useRecordBag = () => useRefreshingMutation(kioskKeys.all, recordBag);

export const useCreateBatch = () =>
  useRefreshingMutation(kioskKeys.all, (blendsheetNo: string) =>
    callApi(api.POST('/app/blendsheet/batch', { body: { blendsheet_no: blendsheetNo } })),
  );

export interface Batch {
  blendsheet_no: string;
  item_code: string;
  created_ts: number;
}

/** An ingredient bag into a blend batch (§6.3 step 3); tealine and blend balance feed blends. */
export const useAllocateIngredient = () =>
  useRefreshingMutation(kioskKeys.all, (input: { table: 'tealine' | 'blendbalance'; barcode: string; batch: Batch; amount: string }) => {
    const body = { barcode: input.barcode, item_code: input.batch.item_code, created_ts: input.batch.created_ts, amount: input.amount };
    return input.table === 'tealine'
      ? callApi(api.POST('/app/tealine/record/blendsheet', { body }))
      : callApi(api.POST('/app/blendbalance/record/blendsheet', { body }));
  });

export const useSaveQc = () =>
  useRefreshingMutation(kioskKeys.all, (input: { batch: Batch; humidity: number; density: number }) =>
    callApi(
      api.PUT('/app/blendsheet/batch', {
        body: { item_code: input.batch.item_code, created_ts: input.batch.created_ts, humidity: input.humidity, density: input.density },
      }),
    ),
  );

export interface DispatchInput {
  /** One key per cart: a retry after a lost answer is the same dispatch, never a second one. */
  key: string;
  request_code: number;
  shipment_code: number;
  shipment_vehicle: string;
  bags: Array<{ table_name: ShippableTable; barcode: string; amount: string }>;
}

/** The cart onto its shipment as one saga: split when short, allocate, dispatched in orders (§6.5). */
export const useDispatch = () =>
  useRefreshingMutation(kioskKeys.all, ({ key, ...body }: DispatchInput) =>
    callApi(api.POST('/app/shipment/dispatch', { body, headers: { 'idempotency-key': key } })),
  );
