import { Type, type Static } from '@sinclair/typebox';

/**
 * The processing service's HTTP API (the original Central-Handler) as the orders service calls
 * it on behalf of its users. Codes are numbers here: orders has already checked and converted
 * what its own callers sent.
 */
export const PROCESSING_PATHS = {
  traderBatches: '/app/trader/blendsheet/batch',
  shipmentRecords: '/app/shipment/record',
  parcelRecords: '/app/parcel/record',
  /** Allocations are per record table: `/app/<table>/record/shipment`. */
  shipmentAllocation: (table: RecordTable) => `/app/${table}/record/shipment`,
  parcelAllocation: (table: RecordTable) => `/app/${table}/record/parcel`,
} as const;

/** Record tables whose bags go to shipments and parcels; which pairs are allowed is processing's rule. */
export const RECORD_TABLES = ['tealine', 'blendsheet', 'flavorsheet', 'herbline', 'blendbalance'] as const;
export type RecordTable = (typeof RECORD_TABLES)[number];

export const TRADER_STATUSES = ['TRADER_PENDING', 'TRADER_REQUESTED', 'TRADER_ELEVATED', 'TRADER_ALLOWED', 'TRADER_BLOCKED'] as const;
export type TraderStatus = (typeof TRADER_STATUSES)[number];

const KgText = Type.String({ pattern: '^[0-9]+(\\.[0-9]{1,3})?$' });

export const TraderStatusChange = Type.Object({
  item_code: Type.String(),
  created_ts: Type.Integer({ minimum: 0 }),
  trader_status: Type.Union(TRADER_STATUSES.map((s) => Type.Literal(s))),
});
export type TraderStatusChange = Static<typeof TraderStatusChange>;
export const TraderStatusChanged = Type.Object({ item_code: Type.String(), created_ts: Type.Number(), trader_status: Type.String() });
export type TraderStatusChanged = Static<typeof TraderStatusChanged>;

/** The bag and the shipment of an order request it is allocated to. */
const BagShipment = Type.Object({ barcode: Type.String(), request_code: Type.Integer(), shipment_code: Type.Integer() });
export const ShipmentAllocation = Type.Composite([BagShipment, Type.Object({ amount: KgText })]);
export type ShipmentAllocation = Static<typeof ShipmentAllocation>;
export const ParcelAllocation = Type.Composite([BagShipment, Type.Object({ schedule_code: Type.Integer(), reduced_by: KgText })]);
export type ParcelAllocation = Static<typeof ParcelAllocation>;
/** What an allocation answers: the bag it applied to. */
export const AllocationDone = Type.Object({ barcode: Type.String() });
export type AllocationDone = Static<typeof AllocationDone>;

/** Rows processing lists are open objects: orders passes them through as they are. */
export type ProcessingRow = Record<string, unknown>;

/** `GET /app/pipeline`: raw-material lots and blend batches by stage. */
export const PROCESSING_PIPELINE_PATH = '/app/pipeline';
export const ProcessingPipelineCounts = Type.Object({
  lotsReceived: Type.Integer({ minimum: 0, description: 'tealine, herbline and blend-balance lots registered' }),
  batchesInQc: Type.Integer({ minimum: 0, description: 'completed blend batches waiting for humidity and density' }),
  traderPending: Type.Integer({
    minimum: 0,
    description: 'blend batches waiting for a trader decision (TRADER_PENDING, TRADER_REQUESTED, TRADER_ELEVATED)',
  }),
});
export type ProcessingPipelineCounts = Static<typeof ProcessingPipelineCounts>;
