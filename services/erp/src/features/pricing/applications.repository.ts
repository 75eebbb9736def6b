import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { pageOf, selectPage } from '../../shared/docs.js';
import { show } from '../../shared/numbers.js';

export interface ApplicationFilter {
  rule?: string;
  customer?: string;
  limit: number;
  offset: number;
}

/** The rule application log, newest first, one page at a time (it grows with every priced line). */
export async function listApplications(db: Kysely<ErpDatabase>, filter: ApplicationFilter) {
  let select = db
    .selectFrom('tabHD Pricing Rule Application as a')
    .leftJoin('tabHD Dynamic Pricing Rule as r', 'r.name', 'a.pricing_rule')
    .select([
      'a.name',
      'a.pricing_rule',
      'r.rule_code',
      'a.applied_on_doctype',
      'a.applied_on_name',
      'a.application_date',
      'a.customer',
      'a.item_code',
      'a.line_no',
      'a.qty',
      'a.original_rate',
      'a.rate',
      'a.discount_amount',
      'a.total_amount',
      'a.coupon_code',
      'a.applied_by',
    ]);
  if (filter.rule) {
    const rule = filter.rule;
    select = select.where((eb) => eb.or([eb('a.pricing_rule', '=', rule), eb('r.rule_code', '=', rule)]));
  }
  if (filter.customer) select = select.where('a.customer', '=', filter.customer);
  const rows = await selectPage(select.orderBy('a.application_date', 'desc').orderBy('a.name', 'desc'), filter);
  return pageOf(
    rows.map((row) => ({
      ...row,
      application_date: new Date(row.application_date).toISOString(),
      line_no: Number(row.line_no),
      qty: show(row.qty),
      original_rate: show(row.original_rate),
      rate: show(row.rate),
      discount_amount: show(row.discount_amount),
      total_amount: show(row.total_amount),
    })),
    filter.limit,
    filter.offset,
  );
}
