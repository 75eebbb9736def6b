import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';
import { textOf, type OpenRow } from '../lib/open-row';
import { orderKeys } from './orders';

export type NewParcel = paths['/order/record/parcel']['post']['requestBody']['content']['application/json'][number];
type Material = NewParcel['table_name'];

/** A bag allocated to a shipment: what it is and how much of it the shipment carries. */
export interface ShipmentBag {
  table: Material;
  barcode: string;
  item_code: string;
  /** kg allocated to the shipment. */
  amount: string;
  /** kg of that allocation not yet filled into boxes. */
  remaining: string;
}

const MATERIALS: readonly Material[] = ['tealine', 'blendsheet', 'flavorsheet', 'herbline', 'blendbalance'];

function shipmentBag(row: OpenRow): ShipmentBag {
  const table = textOf(row, 'table');
  return {
    table: MATERIALS.find((material) => material === table) ?? 'blendsheet',
    barcode: textOf(row, 'barcode'),
    item_code: textOf(row, 'item_code'),
    amount: textOf(row, 'amount'),
    remaining: textOf(row, 'remaining'),
  };
}

export interface ShipmentRef {
  request_code: number;
  shipment_code: number;
}

export const recordKeys = {
  all: [...orderKeys.all, 'records'] as const,
  shipmentBags: (shipment: ShipmentRef) => [...recordKeys.all, 'shipment', shipment] as const,
  parcels: (scheduleCode: number, source: ParcelSource) => [...recordKeys.all, 'parcels', { scheduleCode, source }] as const,
};

export const shipmentBagsQuery = (shipment: ShipmentRef) =>
  queryOptions({
    queryKey: recordKeys.shipmentBags(shipment),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/order/record/shipment', { params: { query: shipment }, signal }))).map(shipmentBag),
  });

/** A bag's kg filled into a schedule's boxes. */
export interface Parcel {
  table: string;
  barcode: string;
  request_code: number;
  shipment_code: number;
  schedule_code: number;
  amount: string;
}

/**
 * The box-filling machine reads parcels through orders (its way in, as in the original);
 * Seeduwa reads them from processing, which the gateway lets it read. Same rows either way.
 */
export type ParcelSource = 'orders' | 'processing';

function parcel(row: OpenRow): Parcel {
  return {
    table: textOf(row, 'tbl') || textOf(row, 'table_name'),
    barcode: textOf(row, 'barcode'),
    request_code: Number(textOf(row, 'request_code')),
    shipment_code: Number(textOf(row, 'shipment_code')),
    schedule_code: Number(textOf(row, 'schedule_code')),
    amount: textOf(row, 'amount'),
  };
}

export const parcelsQuery = (scheduleCode: number, source: ParcelSource) =>
  queryOptions({
    queryKey: recordKeys.parcels(scheduleCode, source),
    queryFn: async ({ signal }) => {
      const params = { query: { schedule_code: scheduleCode } };
      const rows: readonly OpenRow[] =
        source === 'orders'
          ? await callApi(api.GET('/order/record/parcel', { params, signal }))
          : await callApi(api.GET('/api/v1/processing/app/parcel/record', { params, signal }));
      return rows.map(parcel);
    },
  });

/** A parcel lowers the shipment bag's remaining kg, so both lists are refreshed. */
export const useRecordParcels = () =>
  useRefreshingMutation(recordKeys.all, (parcels: NewParcel[]) => callApi(api.POST('/order/record/parcel', { body: parcels })));
