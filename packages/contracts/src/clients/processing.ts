import type { ServiceClient } from '@tributary/platform/resilience';
import {
  PROCESSING_PATHS,
  PROCESSING_PIPELINE_PATH,
  type ProcessingPipelineCounts,
  type AllocationDone,
  type ParcelAllocation,
  type ProcessingRow,
  type RecordTable,
  type ShipmentAllocation,
  type TraderStatus,
  type TraderStatusChange,
  type TraderStatusChanged,
} from '../processing-api.js';
import { MTP_RECONCILE_PATHS, type MtpAllocationPage } from '../mtp-reconcile.js';
import { callParts, type CallOptions } from './call.js';

/** The processing service's API as orders calls it; a non-2xx answer rejects with an UpstreamError. */
export function processingApi(client: ServiceClient) {
  const get = (path: string, query: Record<string, string | number>, options?: CallOptions) =>
    client.json<ProcessingRow[]>({ method: 'GET', path, query, ...callParts(options) });
  return {
    /** `GET /app/trader/blendsheet/batch`: blend batches in one trader status (processing's default TRADER_PENDING). */
    listTraderBatches(status: TraderStatus | undefined, options?: CallOptions): Promise<ProcessingRow[]> {
      return get(PROCESSING_PATHS.traderBatches, status === undefined ? {} : { trader_status: status }, options);
    },
    /** `PUT /app/trader/blendsheet/batch`: move a blend batch through the trader workflow. */
    setTraderStatus(body: TraderStatusChange, options?: CallOptions): Promise<TraderStatusChanged> {
      return client.json<TraderStatusChanged>({ method: 'PUT', path: PROCESSING_PATHS.traderBatches, body, ...callParts(options) });
    },
    /** `GET /app/shipment/record`: bags allocated to one shipment. */
    listShipmentRecords(shipment: { request_code: number; shipment_code: number }, options?: CallOptions): Promise<ProcessingRow[]> {
      return get(PROCESSING_PATHS.shipmentRecords, shipment, options);
    },
    /** `GET /app/parcel/record`: parcels of one production schedule. */
    listParcelRecords(schedule: { schedule_code: number }, options?: CallOptions): Promise<ProcessingRow[]> {
      return get(PROCESSING_PATHS.parcelRecords, schedule, options);
    },
    /** `POST /app/<table>/record/shipment`: allocate kg of a bag to a shipment. */
    allocateToShipment(table: RecordTable, body: ShipmentAllocation, options?: CallOptions): Promise<AllocationDone> {
      return client.json<AllocationDone>({ method: 'POST', path: PROCESSING_PATHS.shipmentAllocation(table), body, ...callParts(options) });
    },
    /** `POST /app/<table>/record/parcel`: parcel kg of a bag's shipment allocation to a schedule. */
    allocateToParcel(table: RecordTable, body: ParcelAllocation, options?: CallOptions): Promise<AllocationDone> {
      return client.json<AllocationDone>({ method: 'POST', path: PROCESSING_PATHS.parcelAllocation(table), body, ...callParts(options) });
    },
    /** `GET /app/pipeline`: lots registered, batches in QC and batches waiting for a trader. */
    pipelineCounts(options?: CallOptions): Promise<ProcessingPipelineCounts> {
      return client.json<ProcessingPipelineCounts>({ method: 'GET', path: PROCESSING_PIPELINE_PATH, ...callParts(options) });
    },
    /** One page of allocation sums for the MTP reconciliation, in (request_code, shipment_code) order. */
    reconcileAllocations(page: { limit: number; after?: string | null }, options?: CallOptions): Promise<MtpAllocationPage> {
      return client.json<MtpAllocationPage>({
        method: 'GET',
        path: MTP_RECONCILE_PATHS.allocations,
        query: { limit: page.limit, ...(page.after ? { after: page.after } : {}) },
        ...callParts(options),
      });
    },
  };
}
export type ProcessingApi = ReturnType<typeof processingApi>;
