import { dbErrorKind, type Kysely } from '@tributary/platform/db';
import type { Selectable } from 'kysely';
import { ErpError } from '../../errors.js';
import type { AssignmentTable, ErpDatabase } from '../../db/schema.js';
import { runCommand, type Actor, type ErpDeps } from '../../shared/context.js';
import { emitCustomerEvent } from './customer-events.js';
import { addDays, isoDate, isoDateOrNull, isIsoDate, plantDate } from '../../shared/dates.js';
import { generatedName, newDoc, touched } from '../../shared/docs.js';
import { db6, showOrNull } from '../../shared/numbers.js';
import { getSegment } from './segments.service.js';

/**
 * Effective-dated assignments. An assignment is in force on the days [effective_from,
 * effective_to): effective_to is exclusive, null is open-ended, and an assignment whose two
 * dates are equal was never in force (a future assignment cancelled before it began). At most
 * one primary assignment per customer is in force on any day; every write that could break
 * that runs under the customer row's lock, so two concurrent assigners are serialised and the
 * second sees the first's row.
 */
const TABLE = 'tabHD Customer Segment Assignment' as const;
type AssignmentRow = Selectable<AssignmentTable>;

export interface Interval {
  from: string;
  to: string | null;
}

export function overlaps(a: Interval, b: Interval): boolean {
  if (a.to !== null && a.to <= a.from) return false;
  if (b.to !== null && b.to <= b.from) return false;
  return (b.to === null || a.from < b.to) && (a.to === null || b.from < a.to);
}

export function inForce(interval: Interval, day: string): boolean {
  return interval.from <= day && (interval.to === null || day < interval.to);
}

export interface AssignInput {
  segment: string;
  is_primary?: boolean;
  assignment_date?: string;
  effective_from?: string;
  effective_to?: string | null;
  assignment_type?: string;
  assignment_reason?: string;
  assignment_notes?: string;
  replace_current?: boolean;
}

export function today(deps: ErpDeps): string {
  return plantDate(deps.clock.now(), deps.config.PLANT_TIME_ZONE);
}

/** Takes the customer's row lock for the rest of the transaction (the per-customer serialisation point). */
export async function lockCustomer(trx: Kysely<ErpDatabase>, customer: string) {
  const row = await trx
    .selectFrom('tabCustomer')
    .select(['name', 'credit_limit', 'disabled'])
    .where('name', '=', customer)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw ErpError.CUSTOMER_NOT_FOUND(`customer ${customer} not found`);
  return row;
}

export function toAssignmentOut(row: AssignmentRow & { segment_code: string }, dialect: ErpDeps['dialect'], day: string) {
  const to = isoDateOrNull(row.effective_to);
  const from = isoDate(row.effective_from);
  // A stored Active whose end has passed reads as Expired, so no sweeper is needed for correctness.
  const status = row.status === 'Active' && to !== null && to <= day ? 'Expired' : row.status;
  return {
    name: row.name,
    customer: row.customer,
    customer_segment: row.customer_segment,
    segment_code: row.segment_code,
    assignment_date: isoDate(row.assignment_date),
    effective_from: from,
    effective_to: to,
    is_primary: Number(row.is_primary) === 1,
    assignment_type: row.assignment_type,
    assignment_reason: row.assignment_reason,
    assigned_by: row.assigned_by,
    status: status === 'Active' && from > day ? 'Scheduled' : status,
    review_date: isoDateOrNull(row.review_date),
    discount_percentage_applied: showOrNull(row.discount_percentage_applied),
    credit_limit_at_assignment: showOrNull(row.credit_limit_at_assignment),
    superseded_by: row.superseded_by,
    creation: row.creation.toISOString(),
  };
}
export type AssignmentOut = ReturnType<typeof toAssignmentOut>;

function selectAssignments(db: Kysely<ErpDatabase>) {
  return db
    .selectFrom(`${TABLE} as a`)
    .innerJoin('tabHD Customer Segment as s', 's.name', 'a.customer_segment')
    .selectAll('a')
    .select('s.segment_code');
}

export async function customerAssignments(db: Kysely<ErpDatabase>, customer: string, lock = false) {
  let query = selectAssignments(db).where('a.customer', '=', customer).orderBy('a.effective_from', 'desc').orderBy('a.name');
  if (lock) query = query.forUpdate();
  return query.execute();
}

/** Assigns inside the caller's transaction; the caller has locked the customer. */
export async function assignLocked(
  trx: Kysely<ErpDatabase>,
  deps: ErpDeps,
  customer: { name: string; credit_limit: string },
  input: AssignInput,
  actor: Actor,
) {
  const day = today(deps);
  const segment = await getSegment(trx, input.segment);
  if (Number(segment.is_active) !== 1) throw ErpError.SEGMENT_INACTIVE(`segment ${segment.segment_code} is not active`);
  const assignmentDate = input.assignment_date ?? day;
  const from = input.effective_from ?? assignmentDate;
  const to = input.effective_to ?? null;
  for (const [label, value] of [
    ['assignment_date', assignmentDate],
    ['effective_from', from],
    ['effective_to', to],
  ] as const) {
    if (value !== null && !isIsoDate(value)) throw ErpError.ASSIGNMENT_DATES_INVALID(`${label} ${value} is not a calendar date`);
  }
  if (from < assignmentDate) throw ErpError.ASSIGNMENT_DATES_INVALID('effective_from must not be before assignment_date');
  if (to !== null && to <= from) throw ErpError.ASSIGNMENT_DATES_INVALID('effective_to must be after effective_from');
  const wanted: Interval = { from, to };
  const isPrimary = input.is_primary === true;

  const existing = await customerAssignments(trx, customer.name, true);
  const intervalOf = (row: AssignmentRow): Interval => ({ from: isoDate(row.effective_from), to: isoDateOrNull(row.effective_to) });
  const live = existing.filter((row) => row.status !== 'Inactive' || row.effective_to !== null);
  const sameSegment = live.find((row) => row.customer_segment === segment.name && overlaps(intervalOf(row), wanted));
  if (sameSegment) {
    throw ErpError.ASSIGNMENT_OVERLAP(`customer ${customer.name} is already in segment ${segment.segment_code} for part of that period`, {
      details: { conflicting: sameSegment.name },
    });
  }
  const name = generatedName('HD-CSA');
  let superseded: string | undefined;
  if (isPrimary) {
    const clashing = live.filter((row) => Number(row.is_primary) === 1 && overlaps(intervalOf(row), wanted));
    const replaceable =
      input.replace_current === true &&
      clashing.length === 1 &&
      intervalOf(clashing[0]!).from < from &&
      (to === null || intervalOf(clashing[0]!).to === null || intervalOf(clashing[0]!).to! >= from);
    if (clashing.length > 0 && !replaceable) {
      throw ErpError.PRIMARY_SEGMENT_OVERLAP(`customer ${customer.name} already has a primary segment in force for part of that period`, {
        details: { conflicting: clashing.map((row) => ({ name: row.name, segment: row.segment_code, ...intervalOf(row) })) },
      });
    }
    if (replaceable) {
      const old = clashing[0]!;
      const oldEnd = intervalOf(old).to;
      if (to !== null && oldEnd !== null && oldEnd > to) {
        throw ErpError.PRIMARY_SEGMENT_OVERLAP('the current primary outlasts the new one; end it explicitly first', {
          details: { conflicting: old.name },
        });
      }
      superseded = old.name;
      await trx
        .updateTable(TABLE)
        .set({
          effective_to: from,
          superseded_by: name,
          ...(from <= day ? { status: 'Inactive' } : {}),
          ...touched(deps.clock.now(), actor.user),
        })
        .where('name', '=', old.name)
        .execute();
    }
  }
  const reviewDays = segment.review_frequency_days ?? deps.config.SEGMENT_REVIEW_DAYS;
  const metrics = await trx
    .selectFrom('tabHD Customer Metrics')
    .select('annual_purchase')
    .where('customer', '=', customer.name)
    .executeTakeFirst();
  try {
    await trx
      .insertInto(TABLE)
      .values({
        ...newDoc(name, deps.clock.now(), actor.user),
        customer: customer.name,
        customer_segment: segment.name,
        assignment_date: assignmentDate,
        effective_from: from,
        effective_to: to,
        is_primary: isPrimary ? 1 : 0,
        assignment_type: input.assignment_type ?? 'Manual',
        assignment_reason: input.assignment_reason ?? null,
        assignment_notes: input.assignment_notes ?? null,
        assigned_by: actor.user ?? null,
        status: 'Active',
        review_date: addDays(from > day ? from : day, Number(reviewDays)),
        discount_percentage_applied: segment.discount_percentage,
        credit_limit_at_assignment: db6(customer.credit_limit),
        annual_purchase_at_assignment: metrics ? metrics.annual_purchase : null,
      })
      .execute();
  } catch (error) {
    if (dbErrorKind(error) === 'unique')
      throw ErpError.ASSIGNMENT_OVERLAP(`customer ${customer.name} already has segment ${segment.segment_code} from ${from}`);
    throw error;
  }
  const row = await selectAssignments(trx).where('a.name', '=', name).executeTakeFirstOrThrow();
  const out = toAssignmentOut(row, deps.dialect, day);
  await emitCustomerEvent(
    trx,
    'erp.customer.segment_assigned',
    customer.name,
    { ...out, supersedes: superseded ?? null },
    actor,
    deps.clock.now(),
  );
  return out;
}

export async function assignSegment(deps: ErpDeps, customerName: string, input: AssignInput, actor: Actor) {
  const out = await runCommand(deps, actor, async (trx) => assignLocked(trx, deps, await lockCustomer(trx, customerName), input, actor));
  return out;
}

/** Ends an assignment inside the caller's transaction (customer locked). */
export async function endLocked(
  trx: Kysely<ErpDatabase>,
  deps: ErpDeps,
  customer: string,
  assignment: string,
  input: { effective_to?: string; reason?: string },
  actor: Actor,
) {
  const day = today(deps);
  const row = await selectAssignments(trx).where('a.name', '=', assignment).where('a.customer', '=', customer).executeTakeFirst();
  if (!row) throw ErpError.ASSIGNMENT_NOT_FOUND(`assignment ${assignment} of ${customer} not found`);
  const from = isoDate(row.effective_from);
  const currentEnd = isoDateOrNull(row.effective_to);
  const requested = input.effective_to ?? day;
  if (!isIsoDate(requested)) throw ErpError.ASSIGNMENT_DATES_INVALID(`effective_to ${requested} is not a calendar date`);
  // Never lengthen an assignment by "ending" it, and never end it before it began.
  let end = requested < from ? from : requested;
  if (currentEnd !== null && currentEnd < end) end = currentEnd;
  await trx
    .updateTable(TABLE)
    // An end in the future is a scheduled end: the assignment stays Active until then.
    .set({
      effective_to: end,
      ...(end <= day ? { status: 'Inactive' } : {}),
      ...(input.reason ? { assignment_notes: input.reason } : {}),
      ...touched(deps.clock.now(), actor.user),
    })
    .where('name', '=', assignment)
    .execute();
  const updated = await selectAssignments(trx).where('a.name', '=', assignment).executeTakeFirstOrThrow();
  const out = toAssignmentOut(updated, deps.dialect, day);
  await emitCustomerEvent(trx, 'erp.customer.segment_ended', customer, out, actor, deps.clock.now());
  return out;
}

export async function endAssignment(
  deps: ErpDeps,
  customer: string,
  assignment: string,
  input: { effective_to?: string; reason?: string },
  actor: Actor,
) {
  const out = await runCommand(deps, actor, async (trx) => {
    await lockCustomer(trx, customer);
    return endLocked(trx, deps, customer, assignment, input, actor);
  });
  return out;
}

export async function listAssignments(deps: ErpDeps, customer: string, query: { as_of?: string; primary_only?: boolean }) {
  const exists = await deps.db.selectFrom('tabCustomer').select('name').where('name', '=', customer).executeTakeFirst();
  if (!exists) throw ErpError.CUSTOMER_NOT_FOUND(`customer ${customer} not found`);
  const day = today(deps);
  const rows = (await customerAssignments(deps.db, customer)).map((row) => toAssignmentOut(row, deps.dialect, day));
  return rows.filter(
    (row) =>
      (query.as_of === undefined || inForce({ from: row.effective_from, to: row.effective_to }, query.as_of)) &&
      (!query.primary_only || row.is_primary),
  );
}

/** Segments (names and codes) a customer belongs to on a day; pricing's "Customer Segment" applicability. */
export async function segmentsInForce(db: Kysely<ErpDatabase>, dialect: ErpDeps['dialect'], customer: string, day: string) {
  const rows = await db
    .selectFrom(`${TABLE} as a`)
    .innerJoin('tabHD Customer Segment as s', 's.name', 'a.customer_segment')
    .select(['a.customer_segment', 's.segment_code', 'a.is_primary', 'a.effective_from', 'a.effective_to', 's.priority_level'])
    .where('a.customer', '=', customer)
    .where('a.effective_from', '<=', day)
    .where((eb) => eb.or([eb('a.effective_to', 'is', null), eb('a.effective_to', '>', day)]))
    .execute();
  return rows
    .filter((row) => inForce({ from: isoDate(row.effective_from), to: isoDateOrNull(row.effective_to) }, day))
    .map((row) => ({
      name: row.customer_segment,
      code: row.segment_code,
      primary: Number(row.is_primary) === 1,
      priority_level: Number(row.priority_level),
    }));
}
