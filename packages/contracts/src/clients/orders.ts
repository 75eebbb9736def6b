import { UpstreamError, type ServiceClient } from '@tributary/platform/resilience';
import { NEXT_CURSOR_HEADER, type Page } from '@tributary/platform/core';
import { MTP_RECONCILE_PATHS, type MtpShipmentPage } from '../mtp-reconcile.js';
import { TRACE_LOOKUP_PATH, type TraceLookupRequest, type TraceLookupResponse } from '../trace.js';
import {
  ORDERS_PATHS,
  ORDERS_PIPELINE_PATH,
  type OrdersPipelineCounts,
  type EventBody,
  type EventResultOut,
  type OrderListQuery,
  type OrderOut,
  type ShipmentChangeBody,
  type ShipmentChangeOut,
} from '../orders-api.js';
import { callParts, type CallOptions } from './call.js';

type OrderFilter = Omit<OrderListQuery, 'limit' | 'cursor'>;

function query(filter: OrderListQuery): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
}

/** The orders service's API as other services call it; a non-2xx answer rejects with an UpstreamError. */
export function ordersApi(client: ServiceClient) {
  return {
    /** `GET /order`: requests with their shipments and events, all that match. */
    listOrders(filter: OrderFilter = {}, options?: CallOptions): Promise<OrderOut[]> {
      return client.json<OrderOut[]>({ method: 'GET', path: ORDERS_PATHS.orders, query: query(filter), ...callParts(options) });
    },

    /** One page of `GET /order` (by request); `next` is null on the last page. */
    async listOrdersPage(filter: OrderListQuery, options?: CallOptions): Promise<Page<OrderOut>> {
      const response = await client.request<OrderOut[]>({
        method: 'GET',
        path: ORDERS_PATHS.orders,
        query: query(filter),
        ...callParts(options),
      });
      if (response.status !== 200) throw new UpstreamError(client.name, response.status, response.body, response.headers);
      return { items: response.body, next: response.headers[NEXT_CURSOR_HEADER] ?? null };
    },

    /** `PUT /order/shipment`: set quantities; each remainder becomes a new shipment. */
    updateShipments(body: ShipmentChangeBody, options?: CallOptions): Promise<ShipmentChangeOut> {
      return client.json<ShipmentChangeOut>({ method: 'PUT', path: ORDERS_PATHS.shipments, body, ...callParts(options) });
    },

    /** `POST /order/shipment/event`: add status events (pass an idempotencyKey so it may be retried). */
    addShipmentEvents(body: EventBody, options?: CallOptions): Promise<EventResultOut> {
      return client.json<EventResultOut>({ method: 'POST', path: ORDERS_PATHS.shipmentEvents, body, ...callParts(options) });
    },

    /** `GET /order/pipeline`: how many shipments are ready, dispatched and accepted. */
    pipelineCounts(options?: CallOptions): Promise<OrdersPipelineCounts> {
      return client.json<OrdersPipelineCounts>({ method: 'GET', path: ORDERS_PIPELINE_PATH, ...callParts(options) });
    },

    /** Workflow details of the shipments and schedules a trace reached; unknown codes are simply absent. */
    traceLookup(body: TraceLookupRequest, options?: CallOptions): Promise<TraceLookupResponse> {
      return client.json<TraceLookupResponse>({ method: 'POST', path: TRACE_LOOKUP_PATH, body, ...callParts(options) });
    },

    /** One page of shipments for the MTP reconciliation, in (request_code, shipment_code) order. */
    reconcileShipments(page: { limit: number; after?: string | null }, options?: CallOptions): Promise<MtpShipmentPage> {
      return client.json<MtpShipmentPage>({
        method: 'GET',
        path: MTP_RECONCILE_PATHS.shipments,
        query: { limit: page.limit, ...(page.after ? { after: page.after } : {}) },
        ...callParts(options),
      });
    },
  };
}
export type OrdersApi = ReturnType<typeof ordersApi>;
