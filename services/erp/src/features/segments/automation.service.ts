import { dec } from '@tributary/platform/core';
import { type Kysely, type Transaction } from '@tributary/platform/db';
import type { Selectable } from 'kysely';
import type { ErpDatabase, SegmentTable } from '../../db/schema.js';
import { runCommand, type Actor, type ErpDeps } from '../../shared/context.js';
import { emitCustomerEvent } from './customer-events.js';
import { addDays, isoDate, isoDateOrNull, plantDate } from '../../shared/dates.js';
import { touched } from '../../shared/docs.js';
import { type CustomerFacts, parseRules, qualifies } from './conditions.js';
import { assignLocked, customerAssignments, endLocked, inForce, lockCustomer, today } from './assignments.service.js';
import { getSegment } from './segments.service.js';

type Segment = Selectable<SegmentTable>;

/** Facts a rule is evaluated on, read under the caller's transaction. */
export async function customerFacts(
  db: Kysely<ErpDatabase>,
  deps: ErpDeps,
  customer: string,
): Promise<(CustomerFacts & { disabled: boolean }) | undefined> {
  const row = await db
    .selectFrom('tabCustomer as c')
    .leftJoin('tabHD Customer Metrics as m', 'm.customer', 'c.name')
    .select(['c.name', 'c.customer_group', 'c.territory', 'c.disabled', 'c.creation', 'm.annual_purchase', 'm.total_orders'])
    .where('c.name', '=', customer)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    annual_purchase: row.annual_purchase ?? '0',
    total_orders: Number(row.total_orders ?? 0),
    customer_group: row.customer_group,
    territory: row.territory,
    creation_date: plantDate(row.creation.getTime(), deps.config.PLANT_TIME_ZONE),
    disabled: Number(row.disabled) === 1,
  };
}

/** A segment's documented filters beyond its rules: enabled customer, minimum annual purchase, geographic restriction. */
export function segmentAccepts(segment: Segment, facts: CustomerFacts & { disabled: boolean }): boolean {
  if (facts.disabled || Number(segment.is_active) !== 1) return false;
  if (segment.min_annual_purchase !== null && dec(facts.annual_purchase).lessThan(segment.min_annual_purchase)) return false;
  if (segment.territory && segment.territory !== facts.territory) return false;
  if (!segment.auto_assignment_rules) return true;
  return qualifies(parseRules(segment.auto_assignment_rules), facts);
}

export interface AutoAssignResult {
  customer: string;
  segment: string;
  assignment: string;
  is_primary: boolean;
}

/**
 * Runs one auto-assignable segment over every enabled customer. A customer joins when the rules
 * hold and no assignment to the segment is in force today; it becomes primary when the customer
 * has no primary today or the segment ranks higher (lower priority_level) than the current one.
 */
export async function autoAssign(deps: ErpDeps, segmentName: string, actor: Actor): Promise<AutoAssignResult[]> {
  const segment = await getSegment(deps.db, segmentName);
  if (Number(segment.auto_assignment_enabled) !== 1 || !segment.auto_assignment_rules) return [];
  const customers = await deps.db.selectFrom('tabCustomer').select('name').where('disabled', '=', 0).orderBy('name').execute();
  const results: AutoAssignResult[] = [];
  for (const { name } of customers) {
    const result = await runCommand(deps, actor, async (trx) => {
      const customer = await lockCustomer(trx, name);
      const facts = await customerFacts(trx, deps, name);
      if (!facts || !segmentAccepts(segment, facts)) return undefined;
      const day = today(deps);
      const current = (await customerAssignments(trx, name)).filter((a) =>
        inForce({ from: isoDate(a.effective_from), to: isoDateOrNull(a.effective_to) }, day),
      );
      if (current.some((a) => a.customer_segment === segment.name)) return undefined;
      const primary = current.find((a) => Number(a.is_primary) === 1);
      const primarySegment = primary ? await getSegment(trx, primary.customer_segment) : undefined;
      const makePrimary = !primarySegment || Number(segment.priority_level) < Number(primarySegment.priority_level);
      const from = primary && makePrimary && isoDate(primary.effective_from) >= day ? addDays(day, 1) : day;
      const out = await assignLocked(
        trx,
        deps,
        customer,
        {
          segment: segment.name,
          is_primary: makePrimary,
          effective_from: from,
          assignment_type: 'Auto',
          assignment_reason: 'auto-assignment rules matched',
          replace_current: makePrimary && !!primary,
        },
        actor,
      );
      return { customer: name, segment: segment.name, assignment: out.name, is_primary: out.is_primary };
    });
    if (result) results.push(result);
  }
  return results;
}

export type ReviewAction = 'extended' | 'escalated' | 'demoted' | 'deactivated' | 'pending_review';
export interface ReviewResult {
  customer: string;
  assignment: string;
  segment: string;
  action: ReviewAction;
  new_assignment?: string;
  new_segment?: string;
}

/**
 * Reviews assignments in force: a customer who qualifies for the escalation segment moves up;
 * one who still qualifies gets a new review date; one who no longer qualifies moves to the
 * demotion segment or leaves. Segments without rules need a person: the
 * assignment becomes Pending Review.
 */
export async function reviewAssignments(
  deps: ErpDeps,
  input: { customer?: string; due_only?: boolean },
  actor: Actor,
): Promise<ReviewResult[]> {
  const day = today(deps);
  let query = deps.db
    .selectFrom('tabHD Customer Segment Assignment')
    .select(['name', 'customer'])
    .where('status', 'in', ['Active', 'Pending Review'])
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', day)]));
  if (input.customer) query = query.where('customer', '=', input.customer);
  if (input.due_only !== false) query = query.where('review_date', '<=', day);
  const due = await query.orderBy('customer').orderBy('name').execute();
  const results: ReviewResult[] = [];
  for (const { name, customer } of due) {
    const result = await runCommand(deps, actor, (trx) => reviewOne(trx, deps, customer, name, day, actor));
    if (result) results.push(result);
  }
  return results;
}

async function reviewOne(
  trx: Transaction<ErpDatabase>,
  deps: ErpDeps,
  customerName: string,
  assignmentName: string,
  day: string,
  actor: Actor,
): Promise<ReviewResult | undefined> {
  const customer = await lockCustomer(trx, customerName);
  const assignment = await trx
    .selectFrom('tabHD Customer Segment Assignment')
    .selectAll()
    .where('name', '=', assignmentName)
    .executeTakeFirst();
  if (!assignment || !['Active', 'Pending Review'].includes(assignment.status)) return undefined;
  const segment = await getSegment(trx, assignment.customer_segment);
  const facts = await customerFacts(trx, deps, customerName);
  const base = { customer: customerName, assignment: assignmentName, segment: segment.name };
  if (!facts) return undefined;
  if (!segment.auto_assignment_rules) {
    await trx
      .updateTable('tabHD Customer Segment Assignment')
      .set({ status: 'Pending Review', ...touched(deps.clock.now(), actor.user) })
      .where('name', '=', assignmentName)
      .execute();
    return { ...base, action: 'pending_review' };
  }
  const isPrimary = Number(assignment.is_primary) === 1;
  const moveTo = async (target: string, type: 'Upgraded' | 'Downgraded') => {
    await endLocked(trx, deps, customerName, assignmentName, { effective_to: day, reason: `review: ${type.toLowerCase()}` }, actor);
    const created = await assignLocked(
      trx,
      deps,
      customer,
      { segment: target, is_primary: isPrimary, effective_from: day, assignment_type: type, assignment_reason: 'segment review' },
      actor,
    );
    return created.name;
  };
  // Escalation first: a customer who has outgrown the segment's band moves up rather than down.
  const escalation = segment.escalation_segment ? await getSegment(trx, segment.escalation_segment) : undefined;
  if (escalation && segmentAccepts(escalation, facts)) {
    return { ...base, action: 'escalated', new_segment: escalation.name, new_assignment: await moveTo(escalation.name, 'Upgraded') };
  }
  if (segmentAccepts(segment, facts)) {
    const reviewDays = segment.review_frequency_days ?? deps.config.SEGMENT_REVIEW_DAYS;
    await trx
      .updateTable('tabHD Customer Segment Assignment')
      .set({ status: 'Active', review_date: addDays(day, Number(reviewDays)), ...touched(deps.clock.now(), actor.user) })
      .where('name', '=', assignmentName)
      .execute();
    return { ...base, action: 'extended' };
  }
  if (segment.demotion_segment) {
    const demotion = await getSegment(trx, segment.demotion_segment);
    return { ...base, action: 'demoted', new_segment: demotion.name, new_assignment: await moveTo(demotion.name, 'Downgraded') };
  }
  await endLocked(trx, deps, customerName, assignmentName, { effective_to: day, reason: 'review: no longer qualifies' }, actor);
  return { ...base, action: 'deactivated' };
}

export async function putMetrics(
  deps: ErpDeps,
  customer: string,
  input: { annual_purchase: string; total_orders: number; last_order_date?: string | null },
  actor: Actor,
) {
  await runCommand(deps, actor, async (trx) => {
    await lockCustomer(trx, customer);
    const now = deps.clock.now();
    const values = {
      annual_purchase: input.annual_purchase,
      total_orders: input.total_orders,
      last_order_date: input.last_order_date ?? null,
    };
    const updated = await trx
      .updateTable('tabHD Customer Metrics')
      .set({ ...values, ...touched(now, actor.user) })
      .where('customer', '=', customer)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const at = new Date(now);
      await trx
        .insertInto('tabHD Customer Metrics')
        .values({
          name: customer,
          creation: at,
          modified: at,
          owner: actor.user ?? null,
          modified_by: actor.user ?? null,
          customer,
          ...values,
        })
        .execute();
    }
    await emitCustomerEvent(trx, 'erp.customer.metrics_updated', customer, { customer, ...values }, actor, now);
  });
  return {
    customer,
    annual_purchase: input.annual_purchase,
    total_orders: input.total_orders,
    last_order_date: input.last_order_date ?? null,
  };
}
