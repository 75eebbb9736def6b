import type { Static } from '@sinclair/typebox';
import { dec } from '@tributary/platform/core';
import { ErpError } from '../../errors.js';
import type { ErpDeps } from '../../shared/context.js';
import { localParts } from '../../shared/dates.js';
import { findSegment } from '../segments/segments.service.js';
import { customerContext, evaluationContext, linesOf, quoteInstant } from './calculate.service.js';
import { evaluateOrder, type EvaluationContext, type LineQuote, type PricingCustomer, type PricingLine } from './evaluator.js';
import { lineChecks, orderChecks, type RuleCheck } from './explain-checks.js';
import type { ExplainBody } from './explain.schemas.js';
import { comparePrecedence, type PricingRule } from './rule-model.js';

type Body = Static<typeof ExplainBody>;
export type RuleOutcome = 'applied' | 'skipped' | 'matched, no effect' | 'not matched';

export interface RuleTrace {
  rule: string;
  rule_code: string;
  rule_name: string;
  priority: number;
  stacking: string;
  outcome: RuleOutcome;
  reason: string;
  checks: RuleCheck[];
}

/**
 * Every active rule against one line, in precedence order, with its outcome taken from the
 * evaluator's own quote (applied or skipped, and why) and, for the rest, the conditions it
 * asked for and whether this quote met them.
 */
export function traceLine(rules: readonly PricingRule[], ctx: EvaluationContext, line: PricingLine, quote: LineQuote): RuleTrace[] {
  const qty = dec(line.qty).abs();
  const amount = dec(line.base_rate).times(qty);
  return rules.map((rule) => {
    const checks = [...orderChecks(rule, ctx), ...lineChecks(rule, line, qty, amount)];
    const failed = checks.find((check) => !check.passed);
    const applied = quote.pricing_rules_applied.find((entry) => entry.rule === rule.name);
    const skipped = quote.pricing_rules_skipped.find((entry) => entry.rule_code === rule.rule_code);
    const outcome: RuleOutcome = applied ? 'applied' : skipped ? 'skipped' : failed ? 'not matched' : 'matched, no effect';
    const reason = applied
      ? `${applied.detail}: ${applied.discount_amount} off, rate after ${applied.rate_after}`
      : skipped
        ? skipped.reason
        : failed
          ? `${failed.check}: ${failed.detail}`
          : 'every condition holds, but nothing comes off at this quantity';
    return {
      rule: rule.name,
      rule_code: rule.rule_code,
      rule_name: rule.rule_name,
      priority: rule.priority,
      stacking: rule.stacking,
      outcome,
      reason,
      checks,
    };
  });
}

/** A customer who is only a member of `segment`: what a quote for "any customer of this segment" is priced as. */
async function segmentMember(deps: ErpDeps, segment: string): Promise<PricingCustomer> {
  const row = await findSegment(deps.db, segment);
  if (!row) throw ErpError.SEGMENT_NOT_FOUND(`segment ${segment} not found`);
  return { name: '', customer_group: null, territories: [], segments: [{ name: row.name, code: row.segment_code }] };
}

/**
 * The simulator's answer: the price the one evaluator gives (as /pricing/calculate with
 * dry_run, so nothing is logged and no coupon used) and, line by line, each rule's part in it.
 */
export async function explainQuote(deps: ErpDeps, body: Body) {
  if (body.customer && body.segment)
    throw ErpError.PRICING_REQUEST_INVALID('name a customer or a segment, not both: a customer brings its own segments');
  const tz = deps.config.PLANT_TIME_ZONE;
  const at = quoteInstant(deps, body);
  const local = localParts(at, tz);
  const customer = body.segment ? await segmentMember(deps, body.segment) : await customerContext(deps, body.customer, local.date);
  const context = evaluationContext(deps, body, at, customer);
  const coupons = context.coupons;
  const lines = await linesOf(deps, body.items);
  const rules = [...(await deps.rules.get(deps.db, coupons))].sort(comparePrecedence);
  const quote = evaluateOrder(rules, context, lines);
  return {
    at: new Date(at).toISOString(),
    plant_time: { time_zone: tz, ...local },
    customer: body.customer ?? null,
    known_customer: body.segment ? false : customer !== null,
    segment: body.segment ?? null,
    customer_segments: customer?.segments.map((s) => s.code) ?? [],
    lines: quote.lines.map((line, index) => ({
      ...line,
      winner: line.pricing_rules_applied[0]?.rule_code ?? null,
      rules: traceLine(rules, context, lines[index]!, line),
    })),
    totalBeforeDiscount: quote.totalBeforeDiscount,
    totalDiscount: quote.totalDiscount,
    totalAfterDiscount: quote.totalAfterDiscount,
  };
}
