import { randomBytes } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { runCommand, type Actor, emit, type ErpDeps } from '../../shared/context.js';
import { type LocalParts, localParts } from '../../shared/dates.js';
import { generatedName, newDoc } from '../../shared/docs.js';
import { dec } from '@tributary/platform/core';
import { ErpError } from '../../errors.js';
import { db6 } from '../../shared/numbers.js';
import { segmentsInForce } from '../segments/assignments.service.js';
import { territoriesInForce } from '../segments/territories.service.js';
import {
  evaluateOrder,
  type EvaluationContext,
  type LineQuote,
  type OrderQuote,
  type PricingCustomer,
  type PricingLine,
} from './evaluator.js';
import type { Transaction } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import type { CalculateBody } from './pricing.schemas.js';
import { parseInstant } from './rules.service.js';

type Body = Static<typeof CalculateBody>;
const RULES = 'tabHD Dynamic Pricing Rule' as const;

export async function customerContext(deps: ErpDeps, name: string | null | undefined, day: string): Promise<PricingCustomer | null> {
  if (!name) return null;
  const row = await deps.db
    .selectFrom('tabCustomer')
    .select(['name', 'customer_group', 'territory', 'disabled'])
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) return null;
  const [segments, territories] = await Promise.all([
    segmentsInForce(deps.db, deps.dialect, name, day),
    territoriesInForce(deps, name, row.territory, day),
  ]);
  return {
    name: row.name,
    customer_group: row.customer_group,
    territories,
    segments: segments.map((s) => ({ name: s.name, code: s.code })),
  };
}

export async function linesOf(deps: Pick<ErpDeps, 'db'>, items: Body['items']): Promise<PricingLine[]> {
  const codes = [...new Set(items.map((i) => i.item_code))];
  const rows = await deps.db
    .selectFrom('tabItem')
    .select(['name', 'item_group', 'brand', 'standard_rate', 'stock_uom'])
    .where('name', 'in', codes)
    .execute();
  const byCode = new Map(rows.map((r) => [r.name, r]));
  return items.map((item, index) => {
    const known = byCode.get(item.item_code);
    const conversion = conversionFactor(item, known?.stock_uom ?? null, index + 1);
    return {
      line: index + 1,
      item_code: item.item_code,
      item_group: known?.item_group ?? null,
      brand: known?.brand ?? null,
      qty: item.qty,
      // The item's standard rate is per stock unit; a line in another unit is priced per its own.
      base_rate: item.rate ?? db6(dec(known?.standard_rate ?? '0').times(conversion)),
      warehouse: item.warehouse ?? null,
      known_item: known !== undefined,
      // A line that names no unit is in the item's stock UoM, as in ERPNext.
      uom: item.uom ?? known?.stock_uom ?? null,
      conversion_factor: conversion,
      ignore_pricing_rule: item.ignore_pricing_rule === true,
    };
  });
}

/** Stock units per line unit: 1 in the stock UoM (or none named); otherwise the caller must say. */
function conversionFactor(item: Body['items'][number], stockUom: string | null, line: number): string {
  if (item.conversion_factor !== undefined) return item.conversion_factor;
  if (!item.uom || item.uom === stockUom) return '1';
  throw ErpError.PRICING_REQUEST_INVALID(`line ${line}: uom ${item.uom} is not the stock UoM, so conversion_factor is needed`);
}

/** The evaluated price as logged: enough to reproduce and explain the line without the rules. */
function snapshotOf(line: LineQuote, at: number, local: LocalParts): string {
  return JSON.stringify({
    at: new Date(at).toISOString(),
    plant_time: local,
    line: {
      item_code: line.item_code,
      qty: line.qty,
      base_rate: line.base_rate,
      rate_with_margin: line.rate_with_margin,
      base_amount: line.base_amount,
      discount_amount: line.discount_amount,
      final_rate: line.final_rate,
      final_amount: line.final_amount,
      rules: line.pricing_rules_applied.map((r) => ({
        rule_code: r.rule_code,
        stacking: r.stacking,
        basis: r.basis,
        discount_amount: r.discount_amount,
        rate_after: r.rate_after,
      })),
      free_items: line.free_items.map((f) => ({ rule_code: f.rule_code, item_code: f.item_code, qty: f.qty })),
    },
  });
}

export interface CalculationResult extends OrderQuote {
  quote_id: string;
  at: number;
  customer: PricingCustomer | null;
  context: EvaluationContext;
  logged_applications: number;
}

/**
 * Prices a whole order with the one evaluator. Unless `dry_run`, every rule application is
 * logged (with the evaluated line as the price snapshot) and coupons are used, in one
 * transaction; coupon rules are locked first so a usage limit holds under concurrency.
 */
type ContextFields = Pick<Body, 'price_list' | 'coupon_codes' | 'currency' | 'ignore_pricing_rule' | 'is_return' | 'rule_selection'>;

/** The instant a request is priced at: `at`, else `date` (plant-local midnight), else now. */
export function quoteInstant(deps: ErpDeps, body: Pick<Body, 'at' | 'date'>): number {
  const tz = deps.config.PLANT_TIME_ZONE;
  return body.at ? parseInstant(body.at, tz, 'at') : body.date ? parseInstant(body.date, tz, 'date') : deps.clock.now();
}

/** What the evaluator is told about a request, once its customer is known: one place for quotes and their explanations. */
export function evaluationContext(deps: ErpDeps, body: ContextFields, at: number, customer: PricingCustomer | null): EvaluationContext {
  return {
    at,
    local: localParts(at, deps.config.PLANT_TIME_ZONE),
    customer,
    price_list: body.price_list ?? null,
    coupons: body.coupon_codes ?? [],
    currency_decimals: deps.config.CURRENCY_DECIMALS,
    currency: body.currency ?? null,
    ignore_pricing_rule: body.ignore_pricing_rule === true,
    is_return: body.is_return === true,
    rule_selection: body.rule_selection === 'erpnext' ? 'erpnext' : 'stacking',
  };
}

export async function calculate(deps: ErpDeps, body: Body, actor: Actor): Promise<CalculationResult> {
  const at = quoteInstant(deps, body);
  const local = localParts(at, deps.config.PLANT_TIME_ZONE);
  // The reads are independent: issued together, a quote waits for the slowest, not their sum.
  const [customer, lines, dryRunRules] = await Promise.all([
    customerContext(deps, body.customer, local.date),
    linesOf(deps, body.items),
    body.dry_run ? deps.rules.get(deps.db, body.coupon_codes ?? []) : undefined,
  ]);
  const context = evaluationContext(deps, body, at, customer);
  const quoteId = generatedName('HD-QTN');

  if (dryRunRules) {
    return { ...evaluateOrder(dryRunRules, context, lines), quote_id: quoteId, at, customer, context, logged_applications: 0 };
  }
  const result = await runCommand(deps, actor, (trx) =>
    priceAndLog(
      trx,
      deps,
      {
        context,
        lines,
        doctype: body.reference_doctype ?? 'Quotation',
        docname: body.reference_name ?? quoteId,
        customerName: body.customer ?? null,
      },
      actor,
    ),
  );
  return { ...result, quote_id: quoteId, at, customer, context, logged_applications: result.logged };
}

/**
 * Application rows per INSERT: a 50-line quote logs a few hundred, so one statement carries
 * them all. 1,000 rows of 23 columns stay well inside the 65,535 bind parameters PostgreSQL's
 * protocol and MariaDB's prepared statements allow.
 */
const LOG_ROWS_PER_INSERT = 1000;

/** Names in generatedName's form (`HD-PRA-<time>-<10 hex>`), their randomness drawn once per quote rather than per row. */
function applicationNames(count: number): string[] {
  const time = Date.now().toString(36).toUpperCase();
  const random = randomBytes(5 * count)
    .toString('hex')
    .toUpperCase();
  return Array.from({ length: count }, (_, i) => `HD-PRA-${time}-${random.slice(i * 10, i * 10 + 10)}`);
}

export interface PricedDocument {
  context: EvaluationContext;
  lines: PricingLine[];
  /** The document the applications are logged against (`Quotation`/quote id, `HD Order`/order id). */
  doctype: string;
  docname: string;
  /** The name the caller gave, logged even when it is not a known customer. */
  customerName: string | null;
}

/**
 * Evaluates and logs in the caller's transaction: coupon rules locked first (so a usage limit
 * holds under concurrency), coupons used, one application row per rule per line with the
 * line's price snapshot, and `erp.pricing.applied`. Quotes and processed orders both log here.
 */
export async function priceAndLog(
  trx: Transaction<ErpDatabase>,
  deps: Pick<ErpDeps, 'clock' | 'rules'>,
  doc: PricedDocument,
  actor: Actor,
): Promise<OrderQuote & { logged: number }> {
  const { context, lines, doctype, docname } = doc;
  const { at, local, customer, coupons } = context;
  if (coupons.length > 0)
    await trx.selectFrom(RULES).select('name').where('coupon_code', 'in', coupons).orderBy('name').forUpdate().execute();
  const rules = await deps.rules.get(trx, coupons);
  const quote = evaluateOrder(rules, context, lines);
  const now = deps.clock.now();
  for (const code of quote.coupons_applied) {
    await trx
      .updateTable(RULES)
      .set((eb) => ({ used_count: eb('used_count', '+', 1) }))
      .where('coupon_code', '=', code)
      .execute();
  }
  // One compact snapshot per line, shared by that line's application rows.
  const snapshots = new Map(quote.lines.map((line) => [line.line, snapshotOf(line, at, local)]));
  const names = applicationNames(quote.lines.reduce((count, line) => count + line.pricing_rules_applied.length, 0));
  const rows = quote.lines.flatMap((line) =>
    line.pricing_rules_applied.map((applied) => ({
      ...newDoc(names.pop()!, now, actor.user),
      docstatus: 1,
      pricing_rule: applied.rule,
      applied_on_doctype: doctype,
      applied_on_name: docname,
      application_date: new Date(now),
      customer: customer?.name ?? doc.customerName,
      item_code: line.item_code,
      line_no: line.line,
      qty: db6(line.qty),
      rate: db6(line.final_rate),
      original_rate: db6(line.base_rate),
      discount_amount: db6(applied.discount_amount),
      total_amount: db6(line.final_amount),
      validation_status: 'Applied',
      applied_by: actor.user ?? null,
      coupon_code: applied.coupon_code,
      price_snapshot: snapshots.get(line.line)!,
    })),
  );
  for (let i = 0; i < rows.length; i += LOG_ROWS_PER_INSERT)
    await trx
      .insertInto('tabHD Pricing Rule Application')
      .values(rows.slice(i, i + LOG_ROWS_PER_INSERT))
      .execute();
  if (rows.length > 0) {
    await emit(
      trx,
      {
        type: 'erp.pricing.applied',
        aggregateType: 'pricing_quote',
        aggregateId: docname,
        payload: {
          applied_on_doctype: doctype,
          applied_on_name: docname,
          customer: customer?.name ?? null,
          totalBeforeDiscount: quote.totalBeforeDiscount,
          totalDiscount: quote.totalDiscount,
          totalAfterDiscount: quote.totalAfterDiscount,
          rules: [...new Set(rows.map((r) => r.pricing_rule))].sort(),
          coupons_applied: quote.coupons_applied,
        },
      },
      actor,
      now,
    );
  }
  return { ...quote, logged: rows.length };
}
