import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';

const LOG = 'tabHD Pricing Rule Application' as const;

/** One line of a processed order, with the primary segment the order was priced under. */
export interface OrderLineRow {
  order: string;
  line_no: number;
  order_date: Date;
  segment: string | null;
  segment_code: string | null;
  final_amount: string;
  discount_amount: string;
}

/** Every line of the orders processed over [from, to) (epoch ms) and not cancelled since. */
export async function orderLinesBetween(db: Kysely<ErpDatabase>, from: number, to: number): Promise<OrderLineRow[]> {
  const rows = await db
    .selectFrom('tabHD Order Item as i')
    .innerJoin('tabHD Order as o', 'o.name', 'i.parent')
    .leftJoin('tabHD Customer Segment as s', 's.name', 'o.customer_segment')
    .select([
      'o.name as order',
      'i.line_no',
      'o.order_date',
      'o.customer_segment as segment',
      's.segment_code',
      'i.final_amount',
      'i.discount_amount',
    ])
    .where('o.status', '=', 'Processed')
    .where('o.order_date', '>=', new Date(from))
    .where('o.order_date', '<', new Date(to))
    .orderBy('o.order_date')
    .orderBy('o.name')
    .orderBy('i.line_no')
    .execute();
  return rows.map((row) => ({ ...row, line_no: Number(row.line_no), order_date: new Date(row.order_date) }));
}

export interface LineImpactRow {
  order: string;
  line_no: number;
  applications: string | number;
  discount: string | null;
}

/**
 * What the rules did to those lines, from the application log: an order logs its applications
 * at its own processing instant, so the same range bounds the log (and prunes its partitions).
 */
export async function ruleImpactBetween(db: Kysely<ErpDatabase>, from: number, to: number): Promise<LineImpactRow[]> {
  return db
    .selectFrom(`${LOG} as a`)
    .select((eb) => [
      'a.applied_on_name as order',
      'a.line_no',
      eb.fn.countAll<string>().as('applications'),
      eb.fn.sum<string>('a.discount_amount').as('discount'),
    ])
    .where('a.applied_on_doctype', '=', 'HD Order')
    .where('a.application_date', '>=', new Date(from))
    .where('a.application_date', '<', new Date(to))
    .groupBy(['a.applied_on_name', 'a.line_no'])
    .execute();
}

export interface RuleTotalsRow {
  pricing_rule: string;
  rule_code: string;
  rule_name: string;
  applications: string | number;
  orders: string | number;
  discount: string | null;
  revenue: string | null;
}

/** Per rule over [from, to): applications, distinct documents, discount given, line revenue. */
export async function ruleTotalsBetween(db: Kysely<ErpDatabase>, from: number, to: number): Promise<RuleTotalsRow[]> {
  return db
    .selectFrom(`${LOG} as a`)
    .innerJoin('tabHD Dynamic Pricing Rule as r', 'r.name', 'a.pricing_rule')
    .select((eb) => [
      'a.pricing_rule',
      'r.rule_code',
      'r.rule_name',
      eb.fn.countAll<string>().as('applications'),
      eb.fn.count<string>('a.applied_on_name').distinct().as('orders'),
      eb.fn.sum<string>('a.discount_amount').as('discount'),
      eb.fn.sum<string>('a.total_amount').as('revenue'),
    ])
    .where('a.application_date', '>=', new Date(from))
    .where('a.application_date', '<', new Date(to))
    .groupBy(['a.pricing_rule', 'r.rule_code', 'r.rule_name'])
    .orderBy('r.rule_code')
    .execute();
}
