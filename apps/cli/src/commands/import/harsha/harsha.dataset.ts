import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { sql, type Database } from '@tributary/platform/db';

/**
 * A realistic Harsha Delights data set with each known fault planted at a known row (the
 * names below), for the import tests. Quantities are kilograms and rupees with the decimals
 * the original kept.
 */
export const PLANTED = {
  chainBroken: 'HD-B-00003',
  balanceMismatch: 'HD-B-00005',
  outOfOrder: 'HD-B-00007',
  unknownType: 'HD-B-00009',
  missingItem: 'HD-B-00011',
  noMovements: 'HD-B-00013',
  orphanMovement: 'HD-BMV-ORPHAN-1',
  orphanConsumption: 'HD-BCL-GONE-1-1',
  orphanAssignmentCustomer: 'HD-CSA-9001',
  orphanAssignmentSegment: 'HD-CSA-9002',
  orphanRuleItem: 'HD-PRI-9001',
  ruleWithoutValidFrom: 'WELCOME-5',
  argon2User: 'usr_mgr_01',
  twoFactorUser: 'usr_acc_02',
  badTierUser: 'svc_pos_01',
  duplicateRoute: '00000000-0000-4000-8000-000000000006',
  msRecoveryRoute: '00000000-0000-4000-8000-000000000005',
  longTimeoutRoute: '00000000-0000-4000-8000-000000000007',
  takenConfigName: 'Orders_Shipments_To_Processing',
} as const;

export const ITEMS = [
  'KOKIS-250G',
  'KAVUM-6PK',
  'MILK-TOFFEE-100G',
  'ALUWA-200G',
  'DODOL-500G',
  'ASMI-10PK',
  'ATHIRASA-6PK',
  'COCONUT-ROCK-150G',
];
export const WAREHOUSES = ['Stores - HD', 'Finished Goods - HD', 'Colombo Depot - HD'];
const SEGMENTS = ['RETAIL', 'WHOLESALE', 'PREMIUM', 'FESTIVAL'];
export const CUSTOMERS = 24;

const at = (day: number, hour = 8) => new Date(Date.UTC(2026, 0, 1 + day, hour, 30, 0));
const std = (name: string, day: number) => ({
  name,
  creation: at(day),
  modified: at(day, 9),
  owner: 'Administrator',
  modified_by: 'Administrator',
  docstatus: 1,
  idx: 0,
});
const pad = (n: number, width = 5) => String(n).padStart(width, '0');

async function insert(database: Database, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await database.db
      .insertInto(table)
      .values(rows.slice(i, i + 200))
      .execute();
}

export async function fillErp(database: Database, batches: number): Promise<void> {
  await insert(
    database,
    'tabItem',
    ITEMS.map((code, i) => ({
      ...std(code, 0),
      item_code: code,
      item_name: code.replaceAll('-', ' '),
      item_group: 'Sweets',
      stock_uom: 'Kg',
      standard_rate: `${450 + i * 25}.50`,
    })),
  );
  await insert(
    database,
    'tabWarehouse',
    WAREHOUSES.map((name) => ({ ...std(name, 0), warehouse_name: name.replace(' - HD', '') })),
  );
  await insert(
    database,
    'tabCustomer',
    Array.from({ length: CUSTOMERS }, (_, i) => ({
      ...std(`CUST-${pad(i + 1, 4)}`, 1),
      customer_name: `Kade ${i + 1} (Pvt) Ltd`,
      customer_group: i % 3 ? 'Retail' : 'Wholesale',
      territory: 'Western Province',
      customer_type: 'Company',
      credit_limit: '250000.00',
    })),
  );
  await insert(
    database,
    'tabHD Customer Segment',
    SEGMENTS.map((code, i) => ({
      ...std(code, 1),
      segment_code: code,
      segment_name: `${code[0]}${code.slice(1).toLowerCase()} customers`,
      segment_type: i === 3 ? 'Custom' : 'Value Based',
      status: i === 3 ? 'Inactive' : 'Active',
      priority: i + 1,
      discount_percentage: ['0', '15', '5', '20'][i],
      credit_limit_multiplier: 1,
      min_order_value: ['500', '10000', '25000', '50000'][i],
    })),
  );
  const assignments = Array.from({ length: CUSTOMERS }, (_, i) => ({
    ...std(`HD-CSA-${pad(i + 1, 4)}`, 2),
    customer: `CUST-${pad(i + 1, 4)}`,
    customer_segment: SEGMENTS[i % 3],
    assignment_date: '2026-01-03',
    effective_from: i === 0 ? null : '2026-01-03',
    is_primary: 1,
    assignment_method: 'Manual',
  }));
  assignments.push({
    ...std(PLANTED.orphanAssignmentCustomer, 2),
    customer: 'CUST-CLOSED-17',
    customer_segment: 'RETAIL',
    assignment_date: '2026-01-03',
    effective_from: '2026-01-03',
    is_primary: 1,
    assignment_method: 'Auto',
  });
  assignments.push({
    ...std(PLANTED.orphanAssignmentSegment, 2),
    customer: 'CUST-0002',
    customer_segment: 'CORPORATE-2019',
    assignment_date: '2026-01-03',
    effective_from: '2026-01-03',
    is_primary: 0,
    assignment_method: 'Manual',
  });
  await insert(database, 'tabHD Customer Segment Assignment', assignments);

  const master: Record<string, unknown>[] = [];
  const consumptions: Record<string, unknown>[] = [];
  const consumption = (batch: string, k: number, qty: string, type: string) => ({
    ...std(`HD-BCL-${batch.slice(5)}-${k}`, 8),
    batch_id: batch,
    consumption_date: `2026-01-0${7 + k}`,
    consumption_type: type,
    qty_consumed: qty,
    reference_type: 'Delivery Note',
    reference_name: `MAT-DN-2026-${batch.slice(5)}-${k}`,
    consumed_by: 'dispatch@harshadelights.lk',
  });
  const movements: Record<string, unknown>[] = [];
  for (let n = 1; n <= batches; n += 1) {
    const name = `HD-B-${pad(n)}`;
    const item = name === PLANTED.missingItem ? 'SEENI-SAMBOL-OLD' : ITEMS[n % ITEMS.length];
    const warehouse = WAREHOUSES[n % WAREHOUSES.length];
    const received = `${100 + (n % 50)}.250`;
    const consumed = `${10 + (n % 7)}.125`;
    const left = (Number(received) - Number(consumed)).toFixed(3);
    const movement = (k: number, type: string, change: string, before: string, after: string, day: number) =>
      movements.push({
        ...std(`HD-BMV-${pad(n)}-${k}`, day),
        batch_id: name,
        movement_type: type,
        movement_date: at(day, 10 + k),
        qty_before: before,
        qty_change: change,
        qty_after: after,
        reference_doctype: 'Stock Entry',
        reference_name: `MAT-STE-2026-${pad(n)}-${k}`,
        operator: 'stores@harshadelights.lk',
      });
    let available = left;
    if (name === PLANTED.noMovements) available = '50.000';
    else if (n % 50 === 21) {
      // The running code kept consumption logs, not movements, and decremented twice (reference §6).
      consumptions.push(consumption(name, 1, consumed, 'Sale'), consumption(name, 2, '5.000', 'Sample'));
      available = (Number(received) - 2 * (Number(consumed) + 5)).toFixed(3);
    } else if (name === PLANTED.outOfOrder) {
      movement(1, 'IN', received, '0', received, 5);
      movement(2, 'OUT', `-${consumed}`, received, left, 4);
    } else if (name === PLANTED.unknownType) {
      movement(1, 'IN', received, '0', received, 5);
      movement(2, 'RETURN', `-${consumed}`, received, left, 6);
    } else {
      movement(1, 'IN', received, '0', received, 5);
      movement(2, 'OUT', `-${consumed}`, name === PLANTED.chainBroken ? '100.000' : received, left, 6);
      if (name === PLANTED.balanceMismatch) available = (Number(left) - 4.5).toFixed(3);
    }
    master.push({
      ...std(name, 5),
      batch_id: name,
      item,
      item_name: String(item).replaceAll('-', ' '),
      warehouse,
      manufacturing_date: '2026-01-06',
      expiry_date: '2026-04-06',
      quality_grade: 'A',
      total_qty: received,
      available_qty: available,
      sold_qty: consumed,
      unit_cost: '312.75',
      sugar_content_percentage: '38.50',
      nutritional_info: JSON.stringify({ energy_kcal: 420 }),
      allergen_info: 'Contains milk, cashew',
      status: 'Active',
      is_active: 1,
    });
  }
  movements.push({
    ...std(PLANTED.orphanMovement, 7),
    batch_id: 'HD-B-DELETED',
    movement_type: 'OUT',
    movement_date: at(7, 11),
    qty_before: '10',
    qty_change: '-10',
    qty_after: '0',
  });
  await insert(database, 'tabHD Batch Master', master);
  await insert(database, 'tabHD Batch Movement', movements);
  consumptions.push(consumption('HD-B-GONE-1', 1, '2.000', 'WriteOff'));
  await insert(database, 'tabHD Batch Consumption Log', consumptions);

  const rule = (code: string, fields: Record<string, unknown>) => ({
    ...std(code, 3),
    rule_code: code,
    rule_name: code.replaceAll('-', ' '),
    priority: 1,
    is_active: 1,
    status: 'Active',
    applicable_for: 'All Customers',
    valid_from: '2026-01-01',
    ...fields,
  });
  await insert(database, 'tabHD Dynamic Pricing Rule', [
    rule('AVURUDU-2026', {
      rule_type: 'Seasonal',
      priority: 10,
      valid_from: '2026-04-01',
      valid_to: '2026-04-20',
      apply_on: 'Item Group',
      apply_on_value: 'Sweets',
      rate_or_discount: 'Discount Percentage',
      discount_percentage: '12.5',
    }),
    rule('WHOLESALE-VOL', {
      rule_type: 'Volume Discount',
      priority: 5,
      apply_on: 'All Items',
      applicable_for: 'Customer Segment',
      rate_or_discount: 'Discount Percentage',
      discount_percentage: '0',
    }),
    rule('RETAIL-10', {
      rule_type: 'Customer Segment',
      apply_on: 'Item Code',
      apply_on_value: 'KOKIS-250G',
      rate_or_discount: 'Discount Amount',
      discount_amount: '10.00',
    }),
    rule(PLANTED.ruleWithoutValidFrom, {
      rule_type: 'Promotional',
      valid_from: null,
      apply_on: 'Transaction Total',
      rate_or_discount: 'Discount Percentage',
      discount_percentage: '5',
      requires_coupon: 1,
      coupon_code: 'WELCOME5',
      usage_limit: 500,
      used_count: 132,
    }),
  ]);
  const child = (name: string, parent: string, parentfield: string) => ({
    ...std(name, 3),
    parent,
    parentfield,
    parenttype: 'HD Dynamic Pricing Rule',
  });
  await insert(database, 'tabHD Pricing Rule Item', [
    { ...child('HD-PRI-0001', 'AVURUDU-2026', 'items'), item_code: 'KOKIS-250G', uom: 'Nos' },
    { ...child('HD-PRI-0002', 'AVURUDU-2026', 'items'), item_code: 'KAVUM-6PK', uom: 'Nos' },
    { ...child('HD-PRI-0003', 'RETAIL-10', 'items'), item_code: 'KOKIS-250G', uom: 'Nos' },
    { ...child(PLANTED.orphanRuleItem, 'VESAK-2019', 'items'), item_code: 'ALUWA-200G', uom: 'Nos' },
  ]);
  await insert(database, 'tabHD Volume Discount Slab', [
    {
      ...child('HD-VDS-0001', 'WHOLESALE-VOL', 'volume_slabs'),
      slab_name: '10-49 units',
      min_quantity: '10',
      max_quantity: '49',
      discount_percentage: '5',
      sort_order: 10,
    },
    {
      ...child('HD-VDS-0002', 'WHOLESALE-VOL', 'volume_slabs'),
      slab_name: '50-99 units',
      min_quantity: '50',
      max_quantity: '99',
      discount_percentage: '8',
      sort_order: 50,
    },
    {
      ...child('HD-VDS-0003', 'WHOLESALE-VOL', 'volume_slabs'),
      slab_name: '100+ units',
      min_quantity: '100',
      discount_percentage: '12.5',
      sort_order: 100,
    },
  ]);
}

const bcrypt = (seed: string) => `$2b$12$${seed.padEnd(53, 'x').slice(0, 53)}`;

export async function fillGateway(database: Database): Promise<{ argon2Hash: string }> {
  const argon2Hash = await argon2.hash('Manager#2026', { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const user = (user_id: string, username: string, fields: Record<string, unknown>) => ({
    user_id,
    username,
    email: `${username}@harshadelights.lk`,
    password_hash: bcrypt(username),
    salt: 'bcrypt',
    full_name: username.replace('.', ' '),
    role: 'user',
    ...fields,
  });
  await insert(database, 'api_users', [
    user('admin_001', 'admin', { role: 'administrator', rate_limit_tier: 'unlimited', created_by: 'system' }),
    user(PLANTED.argon2User, 'nimal.perera', { role: 'manager', password_hash: argon2Hash, department: 'Sales' }),
    user(PLANTED.twoFactorUser, 'kumari.silva', { role: 'analyst', two_factor_enabled: true, two_factor_secret: 'JBSWY3DPEHPK3PXP' }),
    user(PLANTED.badTierUser, 'pos.colombo', { role: 'integration', user_type: 'service', rate_limit_tier: 'gold' }),
  ]);
  const key = (key_id: string, user_id: string, key_name: string, fields: Record<string, unknown> = {}) => ({
    key_id,
    user_id,
    key_name,
    api_key_hash: bcrypt(key_name),
    key_prefix: 'hd_',
    permissions: JSON.stringify(['customers:read', 'pricing:read']),
    created_by: 'admin_001',
    ...fields,
  });
  await insert(database, 'api_keys', [
    key('10000000-0000-4000-8000-000000000001', 'admin_001', 'erp-bridge'),
    key('10000000-0000-4000-8000-000000000002', PLANTED.badTierUser, 'pos-colombo', {
      ip_whitelist: JSON.stringify(['10.20.0.15']),
      total_requests: 48210,
      successful_requests: 48001,
      failed_requests: 209,
    }),
    key('10000000-0000-4000-8000-000000000003', PLANTED.badTierUser, 'pos-kandy', { is_active: false }),
  ]);
  const route = (n: number, method: string, path: string, service: string, upstream: string, fields: Record<string, unknown> = {}) => ({
    route_id: `00000000-0000-4000-8000-00000000000${n}`,
    http_method: method,
    path_pattern: path,
    service_name: service,
    upstream_url: upstream,
    route_name: `${method} ${path}`,
    created_by: 'admin_001',
    ...fields,
  });
  await insert(database, 'service_routes', [
    route(1, 'GET', '/api/v1/customers/*', 'erpnext', 'http://erpnext:8000/api/resource/Customer'),
    route(2, 'GET', '/api/v1/items/*', 'erpnext', 'http://erpnext:8000/api/resource/Item'),
    route(3, 'POST', '/api/v1/pricing/*', 'pricing_engine', 'http://pricing-service:8080/calculate', { timeout_seconds: 15 }),
    route(4, 'GET', '/api/v1/inventory/*', 'erpnext', 'http://erpnext:8000/api/resource/Stock%20Entry'),
    route(5, 'GET', '/api/v1/orders/*', 'erpnext', 'http://erpnext:8000/api/resource/Sales%20Order', { recovery_timeout: 60000 }),
    route(6, 'GET', '/api/v1/items/*', 'erpnext', 'http://erpnext-replica:8000/api/resource/Item', { recovery_timeout: 30 }),
    route(7, 'POST', '/api/v1/reports/*', 'reporting', 'http://reports:9000/run', { timeout_seconds: 600, retry_attempts: 10 }),
  ]);
  return { argon2Hash };
}

export async function fillSync(database: Database): Promise<void> {
  const config = (name: string, fields: Record<string, unknown>) => ({
    config_id: randomUUID(),
    config_name: name,
    config_type: 'entity_mapping',
    source_system: 'erpnext',
    created_by: 'admin_001',
    ...fields,
  });
  await insert(database, 'sync_configurations', [
    config('ERPNext_Customer_Sync', {
      entity_type: 'Customer',
      target_system: 'external_crm',
      sync_frequency: 'real_time',
      configuration: JSON.stringify({ field_mappings: { customer_name: 'name', customer_code: 'customer_code', territory: 'territory' } }),
    }),
    config('Item_Master_Sync', {
      entity_type: 'Item',
      target_system: 'warehouse_management',
      sync_frequency: 'hourly',
      configuration: JSON.stringify({ field_mappings: { item_code: 'item_code', item_name: 'item_name', item_group: 'category' } }),
      validation_rules: JSON.stringify({ required_fields: ['item_code', 'item_name'] }),
    }),
    config(PLANTED.takenConfigName, {
      entity_type: 'Shipment',
      target_system: 'processing',
      sync_frequency: 'real_time',
      configuration: JSON.stringify({}),
    }),
    config('Price_List_Sync', {
      entity_type: 'Item Price',
      target_system: 'pos',
      sync_frequency: 'every_5_minutes',
      configuration: JSON.stringify({ field_mappings: { price_list_rate: 'price' } }),
    }),
  ]);
  await sql`insert into sync_events (event_type, event_source, event_name, doctype, doc_name, event_data)
    values ('update', 'erpnext', 'customer_updated', 'Customer', 'CUST-0001', '{}'), ('create', 'erpnext', 'item_created', 'Item', 'KOKIS-250G', '{}')`.execute(
    database.db,
  );
}
