import type { ColumnType, Generated } from 'kysely';

/** int8 and numeric arrive as strings on every driver; they are written as strings or numbers. */
type Int8 = ColumnType<string, string | number, string | number>;
type Numeric = ColumnType<string, string, string>;

export interface StoreLocationTable {
  location_name: string;
  herbline_section: Generated<boolean>;
}
export interface ItemTable {
  item_code: string;
  created_ts: Int8;
}
export interface TealineTable {
  item_code: string;
  created_ts: Int8;
  invoice_no: string | null;
  grade: string | null;
  no_of_bags: number;
  weight_per_bag: Numeric;
  broker: string | null;
  garden: string | null;
  purchase_order: string | null;
}
export interface HerblineTable {
  item_code: string;
  item_name: string;
  created_ts: Int8;
  purchase_order: string | null;
  weight: Numeric | null;
}
export interface BlendbalanceTable {
  item_code: string;
  created_ts: Int8;
  blend_code: string;
  transfer_id: string;
  weight: Numeric;
}
export interface BlendsheetTable {
  blendsheet_no: string;
  standard: string;
  grade: string | null;
  remarks: string;
  no_of_batches: Generated<number>;
  total: Numeric;
  blend_code: string | null;
}
export interface BlendsheetMixTealineTable {
  blendsheet_no: string;
  mixture_code: string;
  no_of_bags: number;
}
export interface WeightedMixTable {
  mixture_code: string;
  weight: Numeric;
}
export interface BlendsheetMixBlendbalanceTable extends WeightedMixTable {
  blendsheet_no: string;
}
export interface FlavorsheetTable {
  flavorsheet_no: string;
  flavor_code: string;
  remarks: string;
}
export interface FlavorsheetMixTable extends WeightedMixTable {
  flavorsheet_no: string;
}
export type TraderStatus = 'TRADER_PENDING' | 'TRADER_REQUESTED' | 'TRADER_ELEVATED' | 'TRADER_ALLOWED' | 'TRADER_BLOCKED';
export interface BlendsheetBatchTable {
  item_code: string;
  created_ts: Int8;
  blendsheet_no: string;
  batch_no: number;
  completed: Generated<boolean>;
  humidity: number | null;
  density: number | null;
  trader_status: TraderStatus | null;
}
export interface FlavorsheetBatchTable {
  item_code: string;
  created_ts: Int8;
  flavorsheet_no: string;
  completed: Generated<boolean>;
}

export interface ShipmentDispatchTable {
  dispatch_key: string;
  request_code: Int8;
  shipment_code: number;
  shipment_vehicle: string;
  bags: string;
  state: 'running' | 'completed' | 'failed';
  /** JSON text: the saga's step outcomes. */
  steps: Generated<string>;
  result: string | null;
  error: string | null;
  attempts: Generated<number>;
  created_at: Int8;
  updated_at: Int8;
}
/** This service's copy of the orders service's shipments, kept from its events. */
export interface OrdersShipmentCopyTable {
  request_code: Int8;
  shipment_code: number;
  order_code: string;
  product_name: string;
  requirement: Numeric;
  comments: string | null;
  quantity: Numeric;
  status: string;
  /** JSON text: the shipment's status history. */
  events: Generated<string>;
  updated_at: Int8;
}
export interface OrdersCopyStateTable {
  id: number;
  last_event_at: Int8;
  last_refresh_at: ColumnType<string | null, string | number | null, string | number | null>;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** One MTP reconciliation run (ADR 0601, "Addendum: stored reports"); counts per kind in their own columns. */
export interface ReconciliationReportTable {
  id: Generated<string>;
  trigger: 'schedule' | 'manual';
  requested_by: string;
  status: 'running' | 'completed' | 'failed';
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  finished_at: Timestamp | null;
  shipments: Generated<number>;
  allocation_groups: Generated<number>;
  bags_checked: Generated<number>;
  differences: Generated<number>;
  quantity_mismatch: Generated<number>;
  status_mismatch: Generated<number>;
  orphaned_allocation: Generated<number>;
  missing_allocation: Generated<number>;
  bag_over_allocated: Generated<number>;
  shipped_kg: ColumnType<string, string | undefined, string>;
  allocated_kg: ColumnType<string, string | undefined, string>;
  error_code: string | null;
  error_message: string | null;
}
export interface ReconciliationDifferenceTable {
  report_id: string;
  seq: number;
  kind: string;
  request_code: Int8 | null;
  shipment_code: number | null;
  material: string | null;
  barcode: string | null;
  orders_status: string | null;
  expected_kg: Numeric | null;
  actual_kg: Numeric;
  bags: number | null;
  dispatched_bags: number | null;
  reason: string;
}

/**
 * The statically named tables. The five `*_record` tables and the allocation tables share
 * shapes and are reached through `sql` with names from domain/materials.ts.
 */
export interface ProcessingDb {
  store_location: StoreLocationTable;
  item: ItemTable;
  tealine: TealineTable;
  herbline: HerblineTable;
  blendbalance: BlendbalanceTable;
  blendsheet: BlendsheetTable;
  blendsheet_mix_tealine: BlendsheetMixTealineTable;
  blendsheet_mix_blendbalance: BlendsheetMixBlendbalanceTable;
  flavorsheet: FlavorsheetTable;
  flavorsheet_mix: FlavorsheetMixTable;
  blendsheet_batch: BlendsheetBatchTable;
  flavorsheet_batch: FlavorsheetBatchTable;
  shipment_dispatch: ShipmentDispatchTable;
  orders_shipment_copy: OrdersShipmentCopyTable;
  orders_copy_state: OrdersCopyStateTable;
  reconciliation_report: ReconciliationReportTable;
  reconciliation_difference: ReconciliationDifferenceTable;
}
