import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';

const LOG = 'tabHD Pricing Rule Application' as const;

/** One logged rule application: the line it priced and what the rule took off. */
export interface ApplicationRow {
  pricing_rule: string;
  applied_on_doctype: string;
  applied_on_name: string;
  line_no: number;
  customer: string | null;
  application_date: Date;
  total_amount: string;
  discount_amount: string;
}

/** The application log over [from, to) (epoch ms), oldest first. */
export async function applicationsBetween(db: Kysely<ErpDatabase>, from: number, to: number): Promise<ApplicationRow[]> {
  const rows = await db
    .selectFrom(LOG)
    .select([
      'pricing_rule',
      'applied_on_doctype',
      'applied_on_name',
      'line_no',
      'customer',
      'application_date',
      'total_amount',
      'discount_amount',
    ])
    .where('application_date', '>=', new Date(from))
    .where('application_date', '<', new Date(to))
    .orderBy('application_date')
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ ...row, line_no: Number(row.line_no), application_date: new Date(row.application_date) }));
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

export interface AssignmentRow {
  customer: string;
  segment: string;
  segment_code: string;
  is_primary: number;
  effective_from: Date | string;
  effective_to: Date | string | null;
}

/** Every segment assignment of these customers, whatever its dates (the caller picks the one in force). */
export async function assignmentsOf(db: Kysely<ErpDatabase>, customers: readonly string[]): Promise<AssignmentRow[]> {
  if (customers.length === 0) return [];
  const rows: AssignmentRow[] = [];
  // Bounded IN lists: a long report touches many customers.
  for (let i = 0; i < customers.length; i += 500) {
    const chunk = customers.slice(i, i + 500);
    rows.push(
      ...(await db
        .selectFrom('tabHD Customer Segment Assignment as a')
        .innerJoin('tabHD Customer Segment as s', 's.name', 'a.customer_segment')
        .select(['a.customer', 'a.customer_segment as segment', 's.segment_code', 'a.is_primary', 'a.effective_from', 'a.effective_to'])
        .where('a.customer', 'in', chunk)
        .orderBy('a.customer')
        .orderBy('a.effective_from')
        .execute()),
    );
  }
  return rows;
}
