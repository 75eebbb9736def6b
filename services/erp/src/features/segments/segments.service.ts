import { dec } from '@tributary/platform/core';
import { dbErrorKind, type Kysely } from '@tributary/platform/db';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { ErpError } from '../../errors.js';
import type { ErpDatabase, SegmentTable } from '../../db/schema.js';
import { runCommand, type Actor, emit, type ErpDeps } from '../../shared/context.js';
import { newDoc, pageOf, selectPage, touched } from '../../shared/docs.js';
import { show, showOrNull } from '../../shared/numbers.js';
import { parseRules } from './conditions.js';
import { insertRuleIn, readRule, updateRuleIn, validateRule, type RuleInput } from '../pricing/rules.service.js';

type SegmentRow = Selectable<SegmentTable>;
const TABLE = 'tabHD Customer Segment' as const;

export function toSegmentOut(row: SegmentRow) {
  return {
    name: row.name,
    segment_code: row.segment_code,
    segment_name: row.segment_name,
    segment_description: row.segment_description,
    segment_type: row.segment_type,
    priority_level: Number(row.priority_level),
    is_active: Number(row.is_active) === 1,
    default_price_list: row.default_price_list,
    discount_percentage: show(row.discount_percentage),
    minimum_order_amount: show(row.minimum_order_amount),
    credit_limit_multiplier: show(row.credit_limit_multiplier),
    payment_terms: row.payment_terms,
    territory: row.territory,
    customer_group: row.customer_group,
    special_pricing_enabled: Number(row.special_pricing_enabled) === 1,
    min_annual_purchase: showOrNull(row.min_annual_purchase),
    auto_assignment_enabled: Number(row.auto_assignment_enabled) === 1,
    auto_assignment_rules: row.auto_assignment_rules ? (JSON.parse(row.auto_assignment_rules) as unknown) : null,
    escalation_segment: row.escalation_segment,
    demotion_segment: row.demotion_segment,
    review_frequency_days: row.review_frequency_days === null ? null : Number(row.review_frequency_days),
    segment_notes: row.segment_notes,
    creation: row.creation.toISOString(),
    modified: row.modified.toISOString(),
  };
}

/** Body fields → columns: booleans to Frappe flags, rules validated and stored as JSON text. */
function columnsOf(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || key === 'name') continue;
    if (typeof value === 'boolean') out[key] = value ? 1 : 0;
    else if (key === 'auto_assignment_rules') out[key] = value === null ? null : JSON.stringify(parseRules(value));
    else out[key] = value;
  }
  return out;
}

export async function findSegment(db: Kysely<ErpDatabase>, nameOrCode: string): Promise<SegmentRow | undefined> {
  return db
    .selectFrom(TABLE)
    .selectAll()
    .where((eb) => eb.or([eb('name', '=', nameOrCode), eb('segment_code', '=', nameOrCode)]))
    .orderBy('name')
    .executeTakeFirst();
}

export async function getSegment(db: Kysely<ErpDatabase>, nameOrCode: string): Promise<SegmentRow> {
  const row = await findSegment(db, nameOrCode);
  if (!row) throw ErpError.SEGMENT_NOT_FOUND(`segment ${nameOrCode} not found`);
  return row;
}

async function checkLinks(db: Kysely<ErpDatabase>, self: string, body: Record<string, unknown>): Promise<void> {
  for (const link of ['escalation_segment', 'demotion_segment'] as const) {
    const target = body[link];
    if (typeof target !== 'string') continue;
    if (target === self) throw ErpError.SEGMENT_RULES_INVALID(`${link} cannot point at the segment itself`);
    if (!(await findSegment(db, target))) throw ErpError.SEGMENT_NOT_FOUND(`${link} ${target} does not exist`);
  }
  if (body.auto_assignment_enabled === true && body.auto_assignment_rules == null) {
    throw ErpError.SEGMENT_RULES_INVALID('auto_assignment_enabled needs auto_assignment_rules');
  }
}

export async function createSegment(deps: ErpDeps, body: Record<string, unknown>, actor: Actor) {
  const name = (body.name as string | undefined) ?? String(body.segment_code);
  const now = deps.clock.now();
  await checkLinks(deps.db, name, body);
  const row = await runCommand(deps, actor, async (trx) => {
    try {
      await trx
        .insertInto(TABLE)
        .values({ ...newDoc(name, now, actor.user), ...(columnsOf(body) as Insertable<SegmentTable>) })
        .execute();
    } catch (error) {
      if (dbErrorKind(error) === 'unique') throw ErpError.SEGMENT_EXISTS(`segment ${name} / ${String(body.segment_code)} already exists`);
      throw error;
    }
    const created = await trx.selectFrom(TABLE).selectAll().where('name', '=', name).executeTakeFirstOrThrow();
    await syncSegmentRule(trx, deps, created, actor);
    await emit(
      trx,
      { type: 'erp.segment.created', aggregateType: 'customer_segment', aggregateId: name, payload: toSegmentOut(created) },
      actor,
      now,
    );
    return created;
  });
  return toSegmentOut(row);
}

export async function updateSegment(deps: ErpDeps, nameOrCode: string, body: Record<string, unknown>, actor: Actor) {
  const existing = await getSegment(deps.db, nameOrCode);
  const merged = { ...toSegmentOut(existing), ...body };
  await checkLinks(deps.db, existing.name, merged);
  const now = deps.clock.now();
  const row = await runCommand(deps, actor, async (trx) => {
    await trx
      .updateTable(TABLE)
      .set({ ...(columnsOf(body) as Updateable<SegmentTable>), ...touched(now, actor.user) })
      .where('name', '=', existing.name)
      .execute();
    const updated = await trx.selectFrom(TABLE).selectAll().where('name', '=', existing.name).executeTakeFirstOrThrow();
    await syncSegmentRule(trx, deps, updated, actor);
    await emit(
      trx,
      { type: 'erp.segment.updated', aggregateType: 'customer_segment', aggregateId: existing.name, payload: toSegmentOut(updated) },
      actor,
      now,
    );
    return updated;
  });
  return toSegmentOut(row);
}

export async function listSegments(
  db: Kysely<ErpDatabase>,
  query: { limit: number; offset: number; segment_type?: string; is_active?: boolean },
) {
  let select = db.selectFrom(TABLE).selectAll();
  if (query.segment_type) select = select.where('segment_type', '=', query.segment_type);
  if (query.is_active !== undefined) select = select.where('is_active', '=', query.is_active ? 1 : 0);
  const rows = await selectPage(select.orderBy('priority_level').orderBy('name'), query);
  return pageOf(rows.map(toSegmentOut), query.limit, query.offset);
}

/** Credit limit a customer gets from a segment: the base limit (100000 when none is set, as documented) × multiplier. */
export function segmentCreditLimit(baseLimit: string, multiplier: string): string {
  const base = dec(baseLimit).isZero() ? dec(100000) : dec(baseLimit);
  return show(base.times(multiplier));
}

/** The pricing rule that carries a segment's discount: `SEG-{code}`, kept in step with the segment. */
export function segmentRuleCode(segment: { segment_code: string }): string {
  return `SEG-${segment.segment_code}`;
}

/**
 * A segment's discount is a pricing benefit: it is priced by the one evaluator as a rule for
 * customers in the segment on the order's date (All Items, Additive, priority 10 − priority_level
 * so a higher-ranked segment's rule comes first). Written in the segment's transaction; a
 * segment without a discount, or inactive, leaves its rule inactive.
 */
async function syncSegmentRule(trx: Kysely<ErpDatabase>, deps: ErpDeps, segment: SegmentRow, actor: Actor): Promise<void> {
  const code = segmentRuleCode(segment);
  const wanted = Number(segment.is_active) === 1 && dec(segment.discount_percentage).gt(0);
  const existing = await trx
    .selectFrom('tabHD Dynamic Pricing Rule')
    .select(['name', 'valid_from'])
    .where('name', '=', code)
    .executeTakeFirst();
  if (!existing && !wanted) return;
  const current = existing ? await readRule(trx, deps, code) : undefined;
  const percentage = wanted ? dec(segment.discount_percentage).toFixed() : current!.discount_percentage;
  const priority = Math.max(0, 10 - Number(segment.priority_level));
  if (current && current.is_active === wanted && current.discount_percentage === percentage && current.priority === priority) return;
  const input: RuleInput = {
    rule_code: code,
    rule_name: `Segment ${segment.segment_code} discount`,
    rule_description: 'maintained from the customer segment',
    rule_type: 'Customer Segment',
    priority,
    valid_from: (existing?.valid_from ?? segment.creation).toISOString(),
    is_active: wanted,
    apply_on: 'All Items',
    applicable_for: 'Customer Segment',
    applicable_for_value: segment.name,
    discount_percentage: percentage,
    stacking: 'Additive',
  };
  validateRule(input, deps.config.PLANT_TIME_ZONE);
  if (existing) await updateRuleIn(trx, deps, code, input, actor);
  else await insertRuleIn(trx, deps, code, input, actor);
}
