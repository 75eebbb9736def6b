import { sql, type Database } from '@tributary/platform/db';

/**
 * The Harsha Delights originals as their documented DDL creates them (the domain reference,
 * §1–§3), for tests. On MariaDB the HD tables come from Frappe, which declares no foreign keys,
 * so rows without their parent are possible there, as they are in the field. Three tables
 * carry the other two column sets the original code created: Customer Segment and Dynamic
 * Pricing Rule the Frappe doctype set, Segment Assignment the gateway's knex set.
 */
const STD = `name varchar(140) primary key, creation datetime(6) not null, modified datetime(6) not null,
  modified_by varchar(140), owner varchar(140), docstatus int(1) not null default 0, idx int(8) not null default 0`;
const CHILD = `parent varchar(140) not null, parentfield varchar(140) not null, parenttype varchar(140) not null`;

export const ERP_DDL = [
  `create table tabItem (${STD}, item_code varchar(140) not null, item_name varchar(140), item_group varchar(140), brand varchar(140),
    stock_uom varchar(140), standard_rate decimal(18,6) not null default 0, has_batch_no int(1) not null default 1, disabled int(1) not null default 0)`,
  `create table tabWarehouse (${STD}, warehouse_name varchar(140) not null, is_group int(1) not null default 0, disabled int(1) not null default 0)`,
  `create table tabCustomer (${STD}, customer_name varchar(140) not null, customer_group varchar(140), territory varchar(140),
    customer_type varchar(20), disabled int(1) not null default 0, credit_limit decimal(18,6) not null default 0, payment_terms varchar(140))`,
  // [doctype] field set.
  `create table \`tabHD Customer Segment\` (${STD}, segment_code varchar(140) not null unique, segment_name varchar(140) not null,
    segment_type varchar(140) not null, segment_description text, status varchar(140) not null default 'Draft', priority int(11) default 0,
    color_code varchar(140), discount_percentage decimal(21,9) default 0, credit_limit_multiplier double default 1,
    payment_terms varchar(140), special_pricing_enabled int(1) default 0, min_order_value decimal(21,9) default 0,
    geographic_restriction varchar(140), auto_assignment_enabled int(1) default 0, auto_assignment_rules longtext,
    review_frequency_days int(11))`,
  // [knex 004] field set.
  `create table \`tabHD Customer Segment Assignment\` (${STD}, customer varchar(140) not null, customer_segment varchar(140) not null,
    assignment_date date not null, effective_from date, effective_to date, is_primary tinyint(1) not null default 0,
    assignment_method varchar(140) default 'Manual', assignment_reason varchar(200), assigned_by varchar(140),
    status varchar(20) not null default 'Active', customer_revenue_at_assignment decimal(18,6),
    unique key uq_customer_segment (customer, customer_segment))`,
  `create table \`tabHD Batch Master\` (${STD}, batch_id varchar(50) not null unique, item varchar(140) not null, item_name varchar(200),
    warehouse varchar(140) not null, supplier varchar(140), supplier_batch_id varchar(100), manufacturing_date date not null,
    expiry_date date not null, best_before_date date, production_line varchar(50), production_shift varchar(20),
    quality_grade varchar(20) not null default 'A', total_qty decimal(18,6) not null default 0, available_qty decimal(18,6) not null default 0,
    reserved_qty decimal(18,6) not null default 0, sold_qty decimal(18,6) not null default 0, damaged_qty decimal(18,6) not null default 0,
    expired_qty decimal(18,6) not null default 0, unit_cost decimal(18,6) default 0, total_cost decimal(18,6) default 0,
    landed_cost_per_unit decimal(18,6) default 0, sugar_content_percentage decimal(5,2), fat_content_percentage decimal(5,2),
    moisture_content_percentage decimal(5,2), storage_temperature_min decimal(5,2), storage_temperature_max decimal(5,2),
    storage_humidity_max decimal(5,2), quality_tested tinyint not null default 0, quality_test_date date, quality_notes text,
    allergen_info text, nutritional_info json, status varchar(20) not null default 'Active', batch_notes text,
    is_active tinyint not null default 1, key idx_item_wh (item, warehouse), key idx_expiry (expiry_date, status))`,
  `create table \`tabHD Batch Movement\` (${STD}, batch_id varchar(140) not null, movement_type varchar(30) not null,
    movement_date datetime(6) not null, reference_doctype varchar(100), reference_name varchar(140),
    qty_before decimal(18,6) not null default 0, qty_change decimal(18,6) not null default 0, qty_after decimal(18,6) not null default 0,
    from_warehouse varchar(140), to_warehouse varchar(140), from_location varchar(200), to_location varchar(200),
    reason varchar(200), notes text, operator varchar(140), key idx_batch (batch_id))`,
  // Doctype only (reference §1.10): where the running code recorded consumption.
  `create table \`tabHD Batch Consumption Log\` (${STD}, batch_id varchar(140) not null, item_code varchar(140), item_name varchar(140),
    warehouse varchar(140), consumption_date date not null, consumption_type varchar(140) not null, qty_consumed decimal(21,9) not null,
    remaining_qty decimal(21,9), reference_type varchar(140), reference_name varchar(140), consumed_by varchar(140) not null,
    unit_rate decimal(21,9), total_value decimal(21,9), batch_expiry_date date, consumption_notes text, key idx_batch (batch_id))`,
  // [doctype] field set, which the running code used.
  `create table \`tabHD Dynamic Pricing Rule\` (${STD}, rule_code varchar(140) not null unique, rule_name varchar(140) not null,
    rule_type varchar(140) not null, priority int(11) not null default 1, is_active int(1) default 1, valid_from date, valid_to date,
    status varchar(140) default 'Draft', applicable_for varchar(140) not null, apply_on varchar(140) not null, apply_on_value varchar(140),
    min_qty decimal(21,9) default 0, max_qty decimal(21,9), min_amount decimal(21,9) default 0, max_amount decimal(21,9),
    applicable_days varchar(140) default 'All Days', time_based int(1) default 0, start_time time, end_time time,
    rate_or_discount varchar(140) not null, rate decimal(21,9) default 0, discount_percentage decimal(21,9) default 0,
    discount_amount decimal(21,9) default 0, is_cumulative int(1) default 0, max_discount_amount decimal(21,9),
    round_to_nearest double, requires_coupon int(1) default 0, coupon_code varchar(140), usage_limit int(11), used_count int(11) default 0,
    selling_price_list varchar(140))`,
  `create table \`tabHD Pricing Rule Item\` (${STD}, ${CHILD}, item_code varchar(140) not null, item_name varchar(200),
    item_group varchar(140), brand varchar(140), uom varchar(50), rate decimal(18,6) default 0, discount_percentage decimal(8,3) default 0,
    min_qty decimal(18,6) default 0, max_qty decimal(18,6))`,
  `create table \`tabHD Volume Discount Slab\` (${STD}, ${CHILD}, slab_name varchar(140) not null, min_quantity decimal(18,6) not null,
    max_quantity decimal(18,6), discount_type varchar(140) not null default 'Percentage', discount_percentage decimal(5,2) default 0,
    discount_amount decimal(18,2) default 0, discounted_rate decimal(18,6) default 0, is_active int(1) default 1, sort_order int(11) default 1)`,
];

export const GATEWAY_DDL = [
  `create table api_users (id bigserial primary key, user_id varchar(140) not null unique, username varchar(100) not null unique,
    email varchar(255) not null unique, password_hash varchar(255) not null, salt varchar(100) not null, full_name varchar(200) not null,
    user_type varchar(30) not null default 'internal', department varchar(100), role varchar(50) not null,
    is_active boolean not null default true, is_verified boolean default false, is_locked boolean default false,
    failed_login_attempts integer not null default 0, last_login_at timestamptz, password_changed_at timestamptz not null default now(),
    two_factor_enabled boolean default false, two_factor_secret varchar(100), password_expires_at timestamptz,
    account_locked_until timestamptz, api_access_enabled boolean default true, rate_limit_tier varchar(20) not null default 'standard',
    created_at timestamptz not null default now(), updated_at timestamptz not null default now(), created_by varchar(140), updated_by varchar(140))`,
  `create table api_keys (id bigserial primary key, key_id uuid not null unique default gen_random_uuid(),
    api_key_hash varchar(255) not null unique, key_name varchar(100) not null, key_description text, key_prefix varchar(10) not null,
    user_id varchar(140) not null references api_users(user_id) on delete cascade, service_name varchar(100), application_name varchar(100),
    permissions jsonb not null default '[]', ip_whitelist jsonb, domain_whitelist jsonb, rate_limit_tier varchar(20) not null default 'standard',
    requests_per_minute integer not null default 60, requests_per_hour integer default 1000, requests_per_day integer default 10000,
    is_active boolean not null default true, created_at timestamptz not null default now(), expires_at timestamptz, last_used_at timestamptz,
    total_requests bigint not null default 0, successful_requests bigint not null default 0, failed_requests bigint not null default 0,
    created_by varchar(140) not null, updated_at timestamptz not null default now(), updated_by varchar(140))`,
  `create table service_routes (id bigserial primary key, route_id uuid not null unique default gen_random_uuid(),
    path_pattern varchar(500) not null, http_method varchar(10) not null, service_name varchar(100) not null, upstream_url varchar(500) not null,
    route_name varchar(150) not null, route_description text, version varchar(20) not null default 'v1',
    load_balancer_type varchar(20) not null default 'round_robin', upstream_servers jsonb not null default '[]',
    health_check_url varchar(500), health_check_interval integer not null default 30, authentication_required boolean not null default true,
    authorization_roles jsonb, rate_limit_override jsonb, timeout_seconds integer not null default 30, retry_attempts integer default 3,
    retry_delay_ms integer default 1000, circuit_breaker_enabled boolean not null default true, failure_threshold integer not null default 5,
    recovery_timeout integer not null default 60, cache_enabled boolean not null default false, cache_ttl_seconds integer,
    cache_key_pattern varchar(200), is_active boolean not null default true, is_deprecated boolean default false, deprecation_date timestamptz,
    created_at timestamptz not null default now(), updated_at timestamptz not null default now(), created_by varchar(140) not null,
    updated_by varchar(140))`,
];

export const SYNC_DDL = [
  `create table sync_configurations (id bigserial primary key, config_id uuid not null unique, config_name varchar(150) not null unique,
    config_description text, config_type varchar(50) not null, entity_type varchar(100), source_system varchar(100) not null,
    target_system varchar(100) not null, configuration jsonb not null, validation_rules jsonb,
    sync_direction varchar(20) not null default 'source_to_target', sync_frequency varchar(50), batch_size integer not null default 100,
    error_handling_strategy varchar(50) not null default 'retry_with_backoff', max_retries integer not null default 5,
    retry_delay_seconds integer not null default 60, is_active boolean not null default true, version integer not null default 1,
    created_at timestamptz not null default now(), updated_at timestamptz not null default now(), created_by varchar(140) not null,
    updated_by varchar(140))`,
  `create table sync_events (id bigserial primary key, event_id uuid not null unique default gen_random_uuid(),
    event_type varchar(50) not null, event_source varchar(100) not null, event_name varchar(150) not null, doctype varchar(100) not null,
    doc_name varchar(140) not null, event_data jsonb not null, event_timestamp timestamptz not null default now(),
    processing_status varchar(20) not null default 'pending')`,
];

export async function createOriginals(database: Database, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(database.db);
}
