import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';

export type OrderRequest = paths['/order']['get']['responses'][200]['content']['application/json'][number];
export type Shipment = OrderRequest['shipments'][number];
export type ShipmentEvent = paths['/order/shipment/event']['post']['requestBody']['content']['application/json'][number];
export type NewRequest = paths['/order']['post']['requestBody']['content']['application/json'][number];
export type Plan = paths['/order/plan']['get']['responses'][200]['content']['application/json'][number];
export type PlanRow = paths['/order/plan']['post']['requestBody']['content']['application/json'][number];

/** Keys live here only: [service, resource, kind, params]. */
export const orderKeys = {
  all: ['orders'] as const,
  requests: () => [...orderKeys.all, 'requests', 'list'] as const,
  plans: () => [...orderKeys.all, 'plans', 'list'] as const,
};

export const requestsQuery = () =>
  queryOptions({ queryKey: orderKeys.requests(), queryFn: ({ signal }) => callApi(api.GET('/order', { signal })) });

export const plansQuery = () =>
  queryOptions({ queryKey: orderKeys.plans(), queryFn: ({ signal }) => callApi(api.GET('/order/plan', { signal })) });

/** One row per shipment, with its request's fields beside it. */
export interface ShipmentRow extends Shipment {
  request_code: number;
  order_code: string;
  product_name: string;
  comments: string | null;
  /** Time of the latest event (epoch ms). */
  updated: number;
}

export function shipmentRows(requests: readonly OrderRequest[]): ShipmentRow[] {
  return requests.flatMap((request) =>
    request.shipments.map((shipment) => ({
      ...shipment,
      request_code: request.request_code,
      order_code: request.order_code,
      product_name: request.product_name,
      comments: request.comments,
      updated: Math.max(0, ...shipment.events.map((event) => event.timestamp)),
    })),
  );
}

export const shipmentKey = (row: { request_code: number; shipment_code: number }) => `${row.request_code}/${row.shipment_code}`;

/** Every change to requests or shipments refreshes the request list and the plans' remaining kg. */
export const usePostShipmentEvents = () =>
  useRefreshingMutation(orderKeys.all, (events: ShipmentEvent[]) => callApi(api.POST('/order/shipment/event', { body: events })));

export const useSplitShipment = () =>
  useRefreshingMutation(orderKeys.all, (change: { request_code: number; shipment_code: number; quantity: string }) =>
    callApi(api.PUT('/order/shipment', { body: [change] })),
  );

export const useCreateRequests = () =>
  useRefreshingMutation(orderKeys.all, (requests: NewRequest[]) => callApi(api.POST('/order', { body: requests })));

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The sheet goes up as it is: the orders service reads it, matching columns by header. */
export const useUploadPlanFile = () =>
  useRefreshingMutation(orderKeys.all, (file: File) =>
    callApi(
      api.POST('/order/plan', {
        body: file as unknown as PlanRow[],
        bodySerializer: (body) => body as unknown as BodyInit,
        headers: { 'content-type': XLSX_TYPE },
      }),
    ),
  );
