import type { Generated } from 'kysely';

/**
 * Kysely row types. Quantities are integer grams (bigint, read back as decimal strings);
 * times are epoch ms (bigint, read back as strings); dates are `date` columns that
 * repositories read as `YYYY-MM-DD` text so no driver turns them into local-time Dates.
 */
export interface AdminUserTable {
  sub: string;
  username: string;
  group: string;
  created_at: string | number;
}

export interface OrderPlanTable {
  order_code: string;
  product_name: string;
  item_code: string;
  requirement: string | bigint;
  plan_start: string;
  plan_end: string;
  updated_at: string | number;
}

export interface OrderPlanRawTable {
  raw_id: Generated<string>;
  upload_id: string;
  row_number: number;
  lot_code: string;
  order_code: string;
  item_code: string;
  production_date: string;
  stock: string;
  requirement: string;
  location: string;
  product_code: string;
  product_name: string;
  item_name: string;
  sub_location: string;
  plan_start: string;
  plan_end: string;
  uploaded_at: string | number;
}

export interface OrderRequestTable {
  request_code: Generated<string>;
  order_code: string;
  product_name: string;
  requirement: string | bigint;
  comments: string | null;
  created_at: string | number;
  created_by: string | null;
}

export interface OrderShipmentTable {
  request_code: string;
  shipment_code: number;
  quantity: string | bigint;
  /** Σ of processing's bag allocations to this shipment, kept from allocation.changed events. */
  allocated: Generated<string | bigint>;
  /** The latest event's status, kept in the same transaction as the event (the log stays the truth). */
  status: string;
  updated_at: string | number;
}

export interface OrderShipmentEventTable {
  event_id: Generated<string>;
  request_code: string;
  shipment_code: number;
  status: string;
  event_ts: string | number;
  shipment_vehicle: string | null;
  order_remarks: string | null;
  shipment_remarks: string | null;
  actor: string | null;
}

export interface OrderScheduleTable {
  schedule_code: Generated<string>;
  schedule_date: string;
  order_code: string;
  shift: string;
  section: string;
  quantity: string | bigint;
  completed: Generated<boolean>;
  completed_at: string | number | null;
  created_at: string | number;
}

export interface OrdersDatabase {
  'admin.user': AdminUserTable;
  order_plan: OrderPlanTable;
  order_plan_raw: OrderPlanRawTable;
  order_request: OrderRequestTable;
  order_shipment: OrderShipmentTable;
  order_shipment_event: OrderShipmentEventTable;
  order_schedule: OrderScheduleTable;
}
