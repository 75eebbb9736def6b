import { asDynamic, sql, type AnyDatabase } from '@tributary/platform/db';

const EPOCH_MS = `(date_part('epoch', now()) * 1000)::bigint`;

/** AWS-Manager's tables as its database documentation gives them (reference §2). */
export const AWS_MANAGER_DDL: readonly string[] = [
  `create schema if not exists admin`,
  `create table admin."user" (sub uuid primary key, username text not null, "group" text not null)`,
  `create table public.order_plan (order_code text primary key, product_name text not null, requirement integer not null,
     plan_start date not null, plan_end date not null, item_code text not null)`,
  `create table public.order_plan_raw (lot_code text not null, order_code text not null, item_code text not null,
     production_date text not null, stock text not null, requirement text not null, location text not null,
     product_code text not null, product_name text not null, item_name text not null, sub_location text not null,
     plan_start text not null, plan_end text not null)`,
  `create sequence public.order_request_request_code_seq start 1 increment 1`,
  `create table public.order_request (request_code bigint primary key default nextval('order_request_request_code_seq'),
     order_code text not null, product_name text not null, requirement integer not null, comments text)`,
  `create table public.order_shipment (request_code bigint not null references public.order_request (request_code),
     shipment_code integer not null default 1, quantity integer, primary key (request_code, shipment_code))`,
  `create table public.order_shipment_event (request_code bigint not null references public.order_request (request_code),
     shipment_code integer not null, status text not null, event_ts bigint not null default ${EPOCH_MS},
     shipment_vehicle text, order_remarks text, shipment_remarks text, primary key (request_code, shipment_code, status))`,
  `create table public.order_schedule (schedule_code bigint primary key, schedule_date date, order_code text, shift text,
     section text, quantity integer, completed boolean default false)`,
];

const RECORD_COLUMNS = `barcode uuid primary key default gen_random_uuid(), item_code text not null, created_ts bigint not null,
  received_ts bigint not null default ${EPOCH_MS}, store_location text not null, bag_weight numeric(5,2) not null,
  gross_weight numeric(5,2) not null, status text not null, remaining numeric(5,2) not null`;

/**
 * Central-Handler's tables as documented (reference §3). Its triggers are left out: the data
 * below is written as they would have left it, faults included, which is what a long-lived
 * database holds after years of API versions and manual fixes.
 */
export const CENTRAL_HANDLER_DDL: readonly string[] = [
  `create table item (item_code text not null, created_ts bigint not null default ${EPOCH_MS}, primary key (item_code, created_ts))`,
  `create table store_location (location_name text primary key, herbline_section boolean not null default false)`,
  `create table tealine (item_code text not null, created_ts bigint not null, invoice_no text, grade text, no_of_bags integer not null,
     weight_per_bag numeric(5,2) not null, broker text, garden text, purchase_order text,
     primary key (item_code, created_ts), foreign key (item_code, created_ts) references item)`,
  `create table herbline (item_code text not null, item_name text not null, created_ts bigint not null, purchase_order text, weight numeric,
     primary key (item_code, created_ts), foreign key (item_code, created_ts) references item)`,
  `create table blendbalance (item_code text not null, created_ts bigint not null, blend_code text not null, transfer_id text not null,
     weight numeric(1000,2) not null, primary key (created_ts, item_code), foreign key (item_code, created_ts) references item)`,
  `create table blendsheet (blendsheet_no text primary key, standard text not null, grade text, remarks text not null,
     no_of_batches integer not null default 1, total numeric(8,2) not null, blend_code text)`,
  `create table blendsheet_mix_tealine (blendsheet_no text references blendsheet, mixture_code text, no_of_bags integer not null,
     primary key (blendsheet_no, mixture_code))`,
  `create table blendsheet_mix_blendbalance (blendsheet_no text references blendsheet, mixture_code text, weight numeric(1000,2) not null,
     primary key (blendsheet_no, mixture_code))`,
  `create table flavorsheet (flavorsheet_no text primary key, flavor_code text not null, remarks text not null)`,
  `create table flavorsheet_mix (flavorsheet_no text references flavorsheet, mixture_code text, weight numeric(1000,2) not null,
     primary key (flavorsheet_no, mixture_code))`,
  `create table blendsheet_batch (item_code text not null, created_ts bigint not null, blendsheet_no text not null references blendsheet,
     completed boolean not null default false, humidity real, density real, trader_status text,
     primary key (item_code, created_ts), foreign key (item_code, created_ts) references item)`,
  `create table flavorsheet_batch (item_code text not null, created_ts bigint not null, flavorsheet_no text not null,
     completed boolean not null default false, primary key (item_code, created_ts))`,
  `create table tealine_record (${RECORD_COLUMNS}, foreign key (item_code, created_ts) references tealine)`,
  `create table blendsheet_record (${RECORD_COLUMNS}, foreign key (item_code, created_ts) references blendsheet_batch)`,
  `create table flavorsheet_record (${RECORD_COLUMNS})`,
  `create table herbline_record (${RECORD_COLUMNS}, reference text not null, foreign key (item_code, created_ts) references herbline)`,
  `create table blendbalance_record (${RECORD_COLUMNS}, foreign key (item_code, created_ts) references blendbalance (item_code, created_ts))`,
  `create table tealine_allocate_blendsheet (barcode uuid references tealine_record, item_code text, created_ts bigint, amount numeric(5,2) not null,
     primary key (barcode, item_code, created_ts), foreign key (item_code, created_ts) references blendsheet_batch)`,
  `create table blendbalance_allocate_blendsheet (barcode uuid references blendbalance_record, item_code text, created_ts bigint,
     amount numeric(5,2) not null, primary key (barcode, item_code, created_ts), foreign key (item_code, created_ts) references blendsheet_batch)`,
  `create table tealine_allocate_shipment (barcode uuid references tealine_record, request_code bigint, shipment_code integer,
     amount numeric(5,2) not null, remaining numeric(5,2) not null, primary key (barcode, request_code, shipment_code),
     check (remaining <= amount and remaining >= 0))`,
  `create table blendsheet_allocate_shipment (barcode uuid references blendsheet_record, request_code bigint, shipment_code integer,
     amount numeric(5,2) not null, remaining numeric(5,2) not null, primary key (shipment_code, request_code, barcode),
     unique (barcode, request_code, shipment_code), check (remaining <= amount and remaining >= 0))`,
  `create table tealine_allocate_parcel (barcode uuid, request_code bigint, shipment_code integer, schedule_code bigint, amount numeric(5,2) not null,
     primary key (barcode, request_code, shipment_code, schedule_code),
     foreign key (barcode, request_code, shipment_code) references tealine_allocate_shipment (barcode, request_code, shipment_code))`,
  `create table blendsheet_allocate_parcel (barcode uuid, request_code bigint, shipment_code integer, schedule_code bigint, amount numeric(5,2) not null,
     primary key (barcode, request_code, shipment_code, schedule_code),
     foreign key (barcode, request_code, shipment_code) references blendsheet_allocate_shipment (barcode, request_code, shipment_code))`,
];

export async function runStatements(database: AnyDatabase, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(asDynamic(database.db));
}

/** Barcodes of the data set, named for what each bag went through. */
export const BAG = {
  shippedA: '11111111-1111-4111-8111-000000000001',
  shippedB: '11111111-1111-4111-8111-000000000002',
  overAllocated: '11111111-1111-4111-8111-000000000003',
  toMissingShipment: '11111111-1111-4111-8111-000000000004',
  wrongSection: '11111111-1111-4111-8111-000000000005',
  blendOutput: '22222222-2222-4222-8222-000000000001',
  heldBatchOutput: '22222222-2222-4222-8222-000000000002',
  orphanFlavour: '33333333-3333-4333-8333-000000000001',
  herb: '44444444-4444-4444-8444-000000000001',
  balance: '55555555-5555-4555-8555-000000000001',
} as const;

const T0 = 1_717_200_000_000; // 2024-06-01T00:00:00Z

/**
 * A small plant's history with every known fault of the originals: a user in a group that no
 * longer exists, a plan ending before it starts, a request for a plan that is gone, a shipment
 * without a quantity and one without events, events out of the documented order, at the same
 * instant, without their predecessor, without the required remarks, under the dashboard's alias
 * or an unknown status, for a shipment that does not exist; a batch over its blendsheet's limit,
 * a bag in the wrong section, a bag without its batch, an over-allocated bag, an allocation to a
 * shipment that does not exist, a parcel for a schedule that does not exist.
 */
export const AWS_MANAGER_DATA: readonly string[] = [
  `insert into admin."user" values
     ('aaaaaaaa-0000-4000-8000-000000000001', 'nimal', 'GRANDPASS-OFFICER'),
     ('aaaaaaaa-0000-4000-8000-000000000002', 'kumari', 'SEEDUWA-OFFICER'),
     ('aaaaaaaa-0000-4000-8000-000000000003', 'temp', 'INTERN')`,
  `insert into public.order_plan values
     ('P-001', 'Ceylon Black 100g', 500000, '2024-06-01', '2024-06-30', 'BLT00001'),
     ('P-002', 'Earl Grey 50g', 200000, '2024-06-01', '2024-06-15', 'FLT00002'),
     ('P-BAD', 'Green 25g', 1000, '2024-06-10', '2024-06-01', 'BTL00003')`,
  `insert into public.order_plan_raw values ('L1', 'P-001', 'BLT00001', '2024-06-01', '0', '500', 'GP', 'C100', 'Ceylon Black 100g', 'Black', 'A', '2024-06-01', '2024-06-30')`,
  `insert into public.order_request (request_code, order_code, product_name, requirement, comments) values
     (1, 'P-001', 'Ceylon Black 100g', 300000, null), (2, 'P-002', 'Earl Grey 50g', 200000, 'rush'),
     (3, 'P-GONE', 'Old blend', 10000, null), (4, 'P-001', 'Ceylon Black 100g', 100000, null)`,
  `insert into public.order_shipment values (1, 1, 100000), (1, 2, 50000), (2, 1, 20000), (3, 1, 10000), (4, 1, null), (4, 2, 5000)`,
  `insert into public.order_shipment_event values
     (1, 1, 'ORDER_REQUESTED', ${T0 + 1000}, null, null, null),
     (1, 1, 'ORDER_READY', ${T0 + 2000}, null, null, null),
     (1, 1, 'SHIPMENT_DISPATCHED', ${T0 + 3000}, 'WP-CAB-1234', null, null),
     (1, 1, 'SHIPMENT_ACCEPTED', ${T0 + 4000}, null, null, null),
     (1, 2, 'ORDER_REQUESTED', ${T0 + 1000}, null, null, null),
     (1, 2, 'SHIPMENT_DISPATCHED', ${T0 + 5000}, 'WP-CAB-1234', null, null),
     (1, 2, 'RECEIVED', ${T0 + 6000}, null, null, 'received in good order'),
     (1, 3, 'ORDER_REQUESTED', ${T0 + 1000}, null, null, null),
     (2, 1, 'APPROVAL_REQUESTED', ${T0 + 1000}, null, null, null),
     (2, 1, 'APPROVAL_ALLOWED', ${T0 + 500}, null, null, null),
     (2, 1, 'ORDER_REQUESTED', ${T0 + 2000}, null, null, null),
     (2, 1, 'ORDER_READY', ${T0 + 2000}, null, null, null),
     (2, 1, 'ON_HOLD', ${T0 + 2500}, null, null, null),
     (3, 1, 'ORDER_REQUESTED', ${T0 + 1000}, null, null, null),
     (4, 1, 'ORDER_REQUESTED', ${T0 + 1000}, null, null, null)`,
  `insert into public.order_schedule values
     (1, '2024-06-05', 'P-001', 'DAY', 'Line 1', 50000, true),
     (2, '2024-06-06', 'P-002', 'NIGHT', 'Line 2', 20000, false),
     (3, '2024-06-07', 'P-001', 'NIGHT & DAY', null, 10000, false)`,
];

export const CENTRAL_HANDLER_DATA: readonly string[] = [
  `insert into store_location values ('Rack A', false), ('Herb Room', true)`,
  `insert into item values ('T240225', 1000), ('T240301', 1100), ('BB-BAL', 1200), ('H-1', 1300), ('BB-1', 2000), ('BB-2', 2001), ('FB-1', 2100)`,
  `insert into tealine values ('T240225', 1000, 'INV-1', 'BOPF', 4, 50.00, 'Forbes', 'Kenilworth', 'PO-1'),
     ('T240301', 1100, 'INV-2', 'PEKOE', 2, 50.00, 'Asia Siyaka', 'Uva', 'PO-2')`,
  `insert into herbline values ('H-1', 'Bergamot', 1300, 'PO-3', 10)`,
  `insert into blendbalance values ('BB-BAL', 1200, 'BLT00001', 'TR-9', 40.00)`,
  `insert into blendsheet values ('BS/2024/0192', 'STD-1', 'BOPF', 'June blend', 1, 100.00, 'BLT00001')`,
  `insert into blendsheet_mix_tealine values ('BS/2024/0192', 'T240225', 2)`,
  `insert into blendsheet_mix_blendbalance values ('BS/2024/0192', 'BB-BAL', 20.00)`,
  `insert into flavorsheet values ('FS-1', 'FLT00002', 'Earl Grey')`,
  `insert into flavorsheet_mix values ('FS-1', 'Bergamot', 1.50)`,
  `insert into blendsheet_batch values ('BB-1', 2000, 'BS/2024/0192', true, 61.5, 0.42, 'TRADER_ALLOWED'),
     ('BB-2', 2001, 'BS/2024/0192', false, null, null, null)`,
  `insert into flavorsheet_batch values ('FB-1', 2100, 'FS-1', false)`,
  `insert into tealine_record values
     ('${BAG.shippedA}', 'T240225', 1000, ${T0 + 100}, 'Rack A', 1.00, 51.00, 'DISPATCHED', 0),
     ('${BAG.shippedB}', 'T240225', 1000, ${T0 + 200}, 'Rack A', 1.00, 51.00, 'DISPATCHED', 0),
     ('${BAG.overAllocated}', 'T240225', 1000, ${T0 + 300}, 'Rack A', 1.00, 51.00, 'IN_PROCESS', 20.00),
     ('${BAG.toMissingShipment}', 'T240225', 1000, ${T0 + 400}, 'Rack A', 1.00, 51.00, 'ACCEPTED', 50.00),
     ('${BAG.wrongSection}', 'T240301', 1100, ${T0 + 500}, 'Herb Room', 1.00, 51.00, 'ACCEPTED', 50.00)`,
  `insert into blendsheet_record values
     ('${BAG.blendOutput}', 'BB-1', 2000, ${T0 + 600}, 'Rack A', 0.50, 50.50, 'DISPATCHED', 0),
     ('${BAG.heldBatchOutput}', 'BB-2', 2001, ${T0 + 700}, 'Rack A', 0.50, 10.50, 'ACCEPTED', 10.00)`,
  `insert into flavorsheet_record values ('${BAG.orphanFlavour}', 'FB-X', 9999, ${T0 + 800}, 'Rack A', 0.50, 5.50, 'ACCEPTED', 5.00)`,
  `insert into herbline_record values ('${BAG.herb}', 'H-1', 1300, ${T0 + 900}, 'Herb Room', 0.25, 2.25, 'ACCEPTED', 2.00, 'R-1')`,
  `insert into blendbalance_record values ('${BAG.balance}', 'BB-BAL', 1200, ${T0 + 950}, 'Rack A', 0.50, 20.50, 'PROCESSED', 0)`,
  `insert into tealine_allocate_blendsheet values ('${BAG.overAllocated}', 'BB-1', 2000, 30.00)`,
  `insert into blendbalance_allocate_blendsheet values ('${BAG.balance}', 'BB-1', 2000, 20.00)`,
  `insert into tealine_allocate_shipment values
     ('${BAG.shippedA}', 1, 1, 50.00, 25.00), ('${BAG.shippedB}', 1, 1, 50.00, 50.00),
     ('${BAG.overAllocated}', 2, 1, 25.00, 25.00), ('${BAG.toMissingShipment}', 7, 1, 10.00, 10.00)`,
  `insert into blendsheet_allocate_shipment values ('${BAG.blendOutput}', 1, 2, 50.00, 30.00)`,
  `insert into tealine_allocate_parcel values ('${BAG.shippedA}', 1, 1, 1, 25.00), ('${BAG.shippedB}', 1, 1, 99, 5.00), ('${BAG.toMissingShipment}', 7, 1, 2, 5.00)`,
  `insert into blendsheet_allocate_parcel values ('${BAG.blendOutput}', 1, 2, 1, 20.00)`,
];
