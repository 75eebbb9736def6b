import type { ServiceContext } from '@tributary/platform/service';
import type { ErpDatabase } from './db/schema.js';
import { buildDeps } from './deps.js';
import { receiveBatch } from './features/batches/batches.service.js';
import { createRule } from './features/pricing/rules.service.js';
import { assignSegment } from './features/segments/assignments.service.js';
import { createSegment } from './features/segments/segments.service.js';
import { mapTerritory } from './features/segments/territories.service.js';
import { systemActor } from './shared/context.js';
import { addDays, plantDate } from './shared/dates.js';
import { newDoc } from './shared/docs.js';

const warehouses = ['Stores - HD', 'Finished Goods - HD', 'Chennai DC - HD'];
const items = [
  { name: 'KAJU-KATLI-500G', item_name: 'Kaju Katli 500 g', item_group: 'Sweets', brand: 'Harsha', standard_rate: '450' },
  { name: 'MYSORE-PAK-500G', item_name: 'Mysore Pak 500 g', item_group: 'Sweets', brand: 'Harsha', standard_rate: '320' },
  { name: 'DARK-CHOC-70', item_name: 'Dark Chocolate 70% 100 g', item_group: 'Chocolates', brand: 'Harsha Cocoa', standard_rate: '180' },
  { name: 'GULAB-JAMUN-1KG', item_name: 'Gulab Jamun tin 1 kg', item_group: 'Desserts', brand: 'Harsha', standard_rate: '260' },
  { name: 'FESTIVE-HAMPER', item_name: 'Festive gift hamper', item_group: 'Gift Hampers', brand: 'Harsha', standard_rate: '2500' },
];
const customers = [
  {
    name: 'CUST-ANAND-RETAIL',
    customer_name: 'Anand Sweets Retail',
    customer_group: 'Retail',
    territory: 'Chennai',
    credit_limit: '50000',
  },
  {
    name: 'CUST-BALAJI-DIST',
    customer_name: 'Sri Balaji Distributors',
    customer_group: 'Wholesale',
    territory: 'Bengaluru',
    credit_limit: '400000',
  },
  {
    name: 'CUST-TECHPARK-GIFTS',
    customer_name: 'Tech Park Corporate Gifting',
    customer_group: 'Corporate',
    territory: 'Bengaluru',
    credit_limit: '250000',
  },
];
const segments = [
  {
    name: 'HD-SEG-001',
    segment_code: 'RETAIL',
    segment_name: 'Retail Customers',
    segment_type: 'demographic',
    priority_level: 3,
    default_price_list: 'Standard Selling',
    discount_percentage: '0',
    minimum_order_amount: '500',
  },
  {
    name: 'HD-SEG-002',
    segment_code: 'WHOLESALE',
    segment_name: 'Wholesale Distributors',
    segment_type: 'demographic',
    priority_level: 1,
    default_price_list: 'Wholesale Price List',
    discount_percentage: '15',
    minimum_order_amount: '10000',
    credit_limit_multiplier: '1.5',
  },
  {
    name: 'HD-SEG-003',
    segment_code: 'PREMIUM',
    segment_name: 'Premium Corporate',
    segment_type: 'behavioral',
    priority_level: 1,
    default_price_list: 'Premium Price List',
    discount_percentage: '5',
    minimum_order_amount: '25000',
  },
  {
    name: 'HD-SEG-004',
    segment_code: 'FESTIVAL',
    segment_name: 'Festival Bulk Orders',
    segment_type: 'seasonal',
    priority_level: 2,
    default_price_list: 'Festival Price List',
    discount_percentage: '20',
    minimum_order_amount: '50000',
  },
] as const;

/** Demo data for the embedded platform. Idempotent: anything already there is left alone. */
export async function seed(context: ServiceContext<ErpDatabase>): Promise<void> {
  const { features: deps } = buildDeps(context);
  const { db } = deps;
  const now = context.clock.now();
  const SEED = systemActor('seed', context.clock);
  const exists = async (
    table: 'tabWarehouse' | 'tabItem' | 'tabCustomer' | 'tabHD Customer Segment' | 'tabHD Batch Master' | 'tabHD Dynamic Pricing Rule',
    name: string,
  ) => (await db.selectFrom(table).select('name').where('name', '=', name).executeTakeFirst()) !== undefined;

  for (const name of warehouses)
    if (!(await exists('tabWarehouse', name)))
      await db
        .insertInto('tabWarehouse')
        .values({ ...newDoc(name, now, SEED.user), warehouse_name: name })
        .execute();
  for (const item of items)
    if (!(await exists('tabItem', item.name)))
      await db
        .insertInto('tabItem')
        .values({ ...newDoc(item.name, now, SEED.user), item_code: item.name, ...item, stock_uom: 'Nos' })
        .execute();
  for (const c of customers)
    if (!(await exists('tabCustomer', c.name)))
      await db
        .insertInto('tabCustomer')
        .values({ ...newDoc(c.name, now, SEED.user), ...c, customer_type: 'Company' })
        .execute();
  for (const s of segments) if (!(await exists('tabHD Customer Segment', s.name))) await createSegment(deps, { ...s }, SEED);

  const today = plantDate(now, deps.config.PLANT_TIME_ZONE);
  const assigned = await db.selectFrom('tabHD Customer Segment Assignment').select('name').limit(1).execute();
  if (assigned.length === 0) {
    await assignSegment(deps, 'CUST-ANAND-RETAIL', { segment: 'RETAIL', is_primary: true, assignment_reason: 'demo data' }, SEED);
    await assignSegment(deps, 'CUST-BALAJI-DIST', { segment: 'WHOLESALE', is_primary: true, assignment_reason: 'demo data' }, SEED);
    await assignSegment(deps, 'CUST-TECHPARK-GIFTS', { segment: 'PREMIUM', is_primary: true, assignment_reason: 'demo data' }, SEED);
    await assignSegment(
      deps,
      'CUST-TECHPARK-GIFTS',
      { segment: 'FESTIVAL', is_primary: false, effective_to: addDays(today, 60), assignment_reason: 'festival season' },
      SEED,
    );
    await mapTerritory(deps, 'CUST-BALAJI-DIST', { territory: 'Mysuru', mapping_reason: 'second depot', service_level: 'Express' }, SEED);
  }

  const batches = [
    {
      batch_id: 'KAJU-DEMO-001',
      item: 'KAJU-KATLI-500G',
      qty: '120',
      manufacturing_date: addDays(today, -10),
      expiry_date: addDays(today, 5),
      sugar_content_percentage: '35',
    },
    {
      batch_id: 'KAJU-DEMO-002',
      item: 'KAJU-KATLI-500G',
      qty: '300',
      manufacturing_date: addDays(today, -2),
      expiry_date: addDays(today, 25),
      sugar_content_percentage: '34',
    },
    {
      batch_id: 'KAJU-DEMO-003',
      item: 'KAJU-KATLI-500G',
      qty: '80',
      manufacturing_date: addDays(today, -1),
      expiry_date: addDays(today, 28),
      quality_grade: 'B' as const,
      sugar_content_percentage: '36',
    },
    {
      batch_id: 'CHOC-DEMO-001',
      item: 'DARK-CHOC-70',
      qty: '500',
      manufacturing_date: addDays(today, -30),
      expiry_date: addDays(today, 150),
      fat_content_percentage: '42',
    },
    {
      batch_id: 'GJ-DEMO-001',
      item: 'GULAB-JAMUN-1KG',
      qty: '60',
      manufacturing_date: addDays(today, -5),
      expiry_date: addDays(today, 85),
      sugar_content_percentage: '55',
    },
  ];
  for (const b of batches) {
    if (!(await exists('tabHD Batch Master', b.batch_id))) {
      await receiveBatch(
        deps,
        {
          ...b,
          warehouse: 'Finished Goods - HD',
          unit_cost: '200',
          allergen_info: 'Contains nuts and milk',
          nutritional_info: { energy_kcal_per_100g: 480 },
        },
        SEED,
      );
    }
  }

  const rules = [
    {
      rule_code: 'VOLUME-SWEETS',
      rule_name: 'Volume tiers on sweets',
      rule_type: 'Volume Discount' as const,
      priority: 10,
      valid_from: addDays(today, -1),
      apply_on: 'Item Group' as const,
      apply_on_value: 'Sweets',
      applicable_for: 'All Customers' as const,
      tier_mode: 'Whole Quantity' as const,
      slabs: [
        { min_quantity: '1', max_quantity: '10', discount_type: 'Percentage' as const, discount_percentage: '5' },
        { min_quantity: '11', max_quantity: '50', discount_type: 'Percentage' as const, discount_percentage: '10' },
        { min_quantity: '51', discount_type: 'Percentage' as const, discount_percentage: '15' },
      ],
    },
    {
      rule_code: 'HAPPY-HOUR-CHOC',
      rule_name: 'Evening chocolate hour',
      rule_type: 'Happy Hour' as const,
      priority: 5,
      valid_from: addDays(today, -1),
      apply_on: 'Item Group' as const,
      apply_on_value: 'Chocolates',
      applicable_for: 'All Customers' as const,
      days_of_week: ['Friday', 'Saturday', 'Sunday'] as ('Friday' | 'Saturday' | 'Sunday')[],
      time_from: '17:00',
      time_to: '19:00',
      discount_percentage: '12',
      stacking: 'Compound' as const,
    },
    {
      rule_code: 'HAMPER-COUPON',
      rule_name: 'Hamper launch coupon',
      rule_type: 'Promotional' as const,
      priority: 20,
      valid_from: addDays(today, -1),
      valid_to: addDays(today, 30),
      apply_on: 'Item Code' as const,
      items: ['FESTIVE-HAMPER'],
      applicable_for: 'All Customers' as const,
      rate_or_discount: 'Discount Amount' as const,
      discount_amount: '300',
      requires_coupon: true,
      coupon_code: 'HAMPER300',
      usage_limit: 100,
      stacking: 'Exclusive' as const,
    },
  ];
  for (const rule of rules) if (!(await exists('tabHD Dynamic Pricing Rule', rule.rule_code))) await createRule(deps, rule, SEED);
}
