import { dec } from '@tributary/platform/core';
import { dbErrorKind, sql, type Kysely } from '@tributary/platform/db';
import type { Static } from '@sinclair/typebox';
import { ErpError } from '../../errors.js';
import type { ErpDatabase } from '../../db/schema.js';
import { runCommand, type Actor, emit, type ErpDeps } from '../../shared/context.js';
import { isIsoDate, plantDate, startOfLocalDay } from '../../shared/dates.js';
import { newDoc, pageOf, selectPage, touched } from '../../shared/docs.js';
import { db6, show, showOrNull } from '../../shared/numbers.js';
import type { RuleFields, RuleListQuery } from './pricing.schemas.js';
import type { PricingRule } from './rule-model.js';
import { hydrate, type RuleRow } from './rules.repository.js';

const RULES = 'tabHD Dynamic Pricing Rule' as const;
type RuleInput = Static<typeof RuleFields>;

function bad(message: string): never {
  throw ErpError.PRICING_RULE_INVALID(message);
}

/** 'YYYY-MM-DD' means that day's plant-local midnight; anything else must be an ISO instant with a zone. */
export function parseInstant(value: string, timeZone: string, field: string): number {
  if (isIsoDate(value)) return startOfLocalDay(value, timeZone);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw ErpError.PRICING_REQUEST_INVALID(`${field} must be YYYY-MM-DD or an ISO instant with offset, got ${JSON.stringify(value)}`);
  }
  return Date.parse(value);
}

const normTime = (t: string | null | undefined) => (t ? (t.length === 5 ? `${t}:00` : t) : null);

/** Rules the original doctype validated, plus what the richer model needs to be unambiguous. */
export function validateRule(input: RuleInput, timeZone: string): void {
  const from = parseInstant(input.valid_from, timeZone, 'valid_from');
  if (input.valid_to && parseInstant(input.valid_to, timeZone, 'valid_to') <= from) bad('valid_to must be after valid_from');
  if ((input.time_from == null) !== (input.time_to == null)) bad('time_from and time_to go together');
  if (input.time_from && normTime(input.time_from) === normTime(input.time_to)) bad('time_from and time_to must differ');
  if (input.max_qty && dec(input.max_qty).gt(0) && dec(input.max_qty).lte(input.min_qty ?? '0'))
    bad('max_qty must be greater than min_qty');
  if (input.max_amount && dec(input.max_amount).gt(0) && dec(input.max_amount).lte(input.min_amount ?? '0'))
    bad('max_amount must be greater than min_amount');
  if ((input.season_start == null) !== (input.season_end == null)) bad('season_start and season_end go together');
  if ((input.festival_from == null) !== (input.festival_to == null)) bad('festival_from and festival_to go together');
  if (input.festival_from && input.festival_to && input.festival_to < input.festival_from)
    bad('festival_to must not be before festival_from');
  if (input.apply_on === 'Item Code' && (!input.items || input.items.length === 0)) bad('apply_on Item Code needs items');
  if ((input.apply_on === 'Item Group' || input.apply_on === 'Brand') && !input.apply_on_value)
    bad(`apply_on ${input.apply_on} needs apply_on_value`);
  if (input.applicable_for !== 'All Customers' && !input.applicable_for_value)
    bad(`applicable_for ${input.applicable_for} needs applicable_for_value`);
  if (input.requires_coupon && !input.coupon_code) bad('requires_coupon needs coupon_code');
  if (!input.requires_coupon && input.coupon_code) bad('coupon_code without requires_coupon');
  const slabs = input.slabs ?? [];
  if (input.tier_mode) {
    if (slabs.length === 0) bad('tier_mode needs slabs');
    const sorted = [...slabs].sort((a, b) => dec(a.min_quantity).comparedTo(b.min_quantity));
    sorted.forEach((slab, i) => {
      if (slab.max_quantity != null && dec(slab.max_quantity).lt(slab.min_quantity))
        bad(`slab ${i + 1}: max_quantity must not be below min_quantity`);
      if (slab.discount_type === 'Percentage' && !(slab.discount_percentage && dec(slab.discount_percentage).gt(0)))
        bad(`slab ${i + 1}: discount_percentage must be in (0, 100]`);
      if (slab.discount_type === 'Fixed Amount' && !(slab.discount_amount && dec(slab.discount_amount).gt(0)))
        bad(`slab ${i + 1}: discount_amount must be > 0`);
      if (slab.discount_type === 'Fixed Rate' && !(slab.discounted_rate && dec(slab.discounted_rate).gt(0)))
        bad(`slab ${i + 1}: discounted_rate must be > 0`);
      const next = sorted[i + 1];
      if (next && (slab.max_quantity == null || dec(next.min_quantity).minus(1).lt(slab.max_quantity)))
        bad('slabs overlap: each slab must start after the previous one ends (1–10, 11–50, 51+)');
    });
  } else {
    if (slabs.length > 0) bad('slabs need tier_mode');
    const kind = input.rate_or_discount ?? 'Discount Percentage';
    if (kind === 'Discount Percentage' && !(input.discount_percentage && dec(input.discount_percentage).gt(0)))
      bad('Discount Percentage needs discount_percentage in (0, 100]');
    if (kind === 'Discount Amount' && !(input.discount_amount && dec(input.discount_amount).gt(0)))
      bad('Discount Amount needs discount_amount > 0');
    if (kind === 'Rate' && input.rate === undefined) bad('Rate needs rate');
  }
}

function ruleStatus(
  row: {
    is_active: number;
    valid_from: Date;
    valid_to: Date | null;
    requires_coupon: number;
    usage_limit: number | null;
    used_count: number;
  },
  now: number,
): string {
  if (Number(row.is_active) !== 1) return 'Inactive';
  if (row.valid_to && row.valid_to.getTime() <= now) return 'Expired';
  if (Number(row.requires_coupon) === 1 && row.usage_limit !== null && Number(row.used_count) >= Number(row.usage_limit)) return 'Expired';
  if (row.valid_from.getTime() > now) return 'Draft';
  return 'Active';
}

function columnsOf(input: RuleInput, timeZone: string) {
  return {
    rule_name: input.rule_name,
    rule_description: input.rule_description ?? null,
    rule_type: input.rule_type,
    priority: input.priority ?? 1,
    valid_from: new Date(parseInstant(input.valid_from, timeZone, 'valid_from')),
    valid_to: input.valid_to ? new Date(parseInstant(input.valid_to, timeZone, 'valid_to')) : null,
    is_active: input.is_active === false ? 0 : 1,
    apply_on: input.apply_on,
    apply_on_value: input.apply_on === 'Item Group' || input.apply_on === 'Brand' ? (input.apply_on_value ?? null) : null,
    applicable_for: input.applicable_for,
    applicable_for_value: input.applicable_for === 'All Customers' ? null : (input.applicable_for_value ?? null),
    min_qty: db6(input.min_qty ?? '0'),
    max_qty: input.max_qty ? db6(input.max_qty) : null,
    min_amount: db6(input.min_amount ?? '0'),
    max_amount: input.max_amount ? db6(input.max_amount) : null,
    for_price_list: input.for_price_list ?? null,
    warehouse: input.warehouse ?? null,
    day_of_week: input.days_of_week && input.days_of_week.length > 0 ? JSON.stringify(input.days_of_week) : null,
    time_from: normTime(input.time_from),
    time_to: normTime(input.time_to),
    seasonal_applicable: input.season_start ? 1 : 0,
    season_start: input.season_start ?? null,
    season_end: input.season_end ?? null,
    festival_applicable: input.festival_from ? 1 : 0,
    festival_name: input.festival_name ?? null,
    festival_from: input.festival_from ?? null,
    festival_to: input.festival_to ?? null,
    rate_or_discount: input.rate_or_discount ?? 'Discount Percentage',
    rate: db6(input.rate ?? '0'),
    discount_percentage: input.discount_percentage ?? '0',
    discount_amount: db6(input.discount_amount ?? '0'),
    tier_mode: input.tier_mode ?? null,
    stacking: input.stacking ?? 'Additive',
    max_discount_amount: input.max_discount_amount ? db6(input.max_discount_amount) : null,
    round_to_nearest: input.round_to_nearest ? db6(input.round_to_nearest) : null,
    requires_coupon: input.requires_coupon ? 1 : 0,
    coupon_code: input.requires_coupon ? (input.coupon_code ?? null) : null,
    usage_limit: input.requires_coupon ? (input.usage_limit ?? null) : null,
  };
}

export function toRuleOut(rule: PricingRule, row: RuleRow, now: number, timeZone: string) {
  const local = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  void timeZone;
  return {
    ...rule,
    rule_description: row.rule_description,
    valid_from: local(rule.valid_from)!,
    valid_to: local(rule.valid_to),
    rule_status: ruleStatus(row, now),
    min_qty: show(rule.min_qty),
    max_qty: showOrNull(rule.max_qty),
    min_amount: show(rule.min_amount),
    max_amount: showOrNull(rule.max_amount),
    rate: show(rule.rate),
    discount_percentage: show(rule.discount_percentage),
    discount_amount: show(rule.discount_amount),
    max_discount_amount: showOrNull(rule.max_discount_amount),
    round_to_nearest: showOrNull(rule.round_to_nearest),
    slabs: rule.slabs.map((s) => ({
      ...s,
      min_quantity: show(s.min_quantity),
      max_quantity: showOrNull(s.max_quantity),
      discount_percentage: show(s.discount_percentage),
      discount_amount: show(s.discount_amount),
      discounted_rate: show(s.discounted_rate),
    })),
    version: Number(row.version),
    modified: row.modified.toISOString(),
  };
}

export async function readRule(db: Kysely<ErpDatabase>, deps: ErpDeps, name: string) {
  const row = await db.selectFrom(RULES).selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw ErpError.PRICING_RULE_NOT_FOUND(`pricing rule ${name} not found`);
  const [rule] = await hydrate(db, [row]);
  return toRuleOut(rule!, row, deps.clock.now(), deps.config.PLANT_TIME_ZONE);
}

export const getRule = (deps: ErpDeps, name: string) => readRule(deps.db, deps, name);

async function writeChildren(trx: Kysely<ErpDatabase>, name: string, input: RuleInput, now: number, actor: Actor) {
  await trx.deleteFrom('tabHD Pricing Rule Item').where('parent', '=', name).execute();
  await trx.deleteFrom('tabHD Volume Discount Slab').where('parent', '=', name).execute();
  if (input.apply_on === 'Item Code' && input.items && input.items.length > 0) {
    await trx
      .insertInto('tabHD Pricing Rule Item')
      .values(
        input.items.map((item, i) => ({
          ...newDoc(`${name}-I${i + 1}`, now, actor.user),
          idx: i + 1,
          parent: name,
          parentfield: 'items',
          parenttype: 'HD Dynamic Pricing Rule',
          item_code: item,
        })),
      )
      .execute();
  }
  if (input.tier_mode && input.slabs && input.slabs.length > 0) {
    const sorted = [...input.slabs].sort((a, b) => dec(a.min_quantity).comparedTo(b.min_quantity));
    await trx
      .insertInto('tabHD Volume Discount Slab')
      .values(
        sorted.map((s, i) => ({
          ...newDoc(`${name}-S${i + 1}`, now, actor.user),
          idx: i + 1,
          parent: name,
          parentfield: 'volume_slabs',
          parenttype: 'HD Dynamic Pricing Rule',
          slab_name:
            s.slab_name ?? (s.max_quantity ? `${show(s.min_quantity)}-${show(s.max_quantity)} units` : `${show(s.min_quantity)}+ units`),
          min_quantity: db6(s.min_quantity),
          max_quantity: s.max_quantity ? db6(s.max_quantity) : null,
          discount_type: s.discount_type,
          discount_percentage: s.discount_percentage ?? '0',
          discount_amount: db6(s.discount_amount ?? '0'),
          discounted_rate: db6(s.discounted_rate ?? '0'),
          sort_order: i + 1,
        })),
      )
      .execute();
  }
}

/** `{first 4 letters of rule_type}-{YYYYMMDD}-{NNN}` when no code is given, as documented. */
async function autoRuleCode(deps: ErpDeps, ruleType: string, attempt: number): Promise<string> {
  const prefix = `${ruleType.replace(/\s+/g, '').slice(0, 4).toUpperCase()}-${plantDate(deps.clock.now(), deps.config.PLANT_TIME_ZONE).replace(/-/g, '')}-`;
  const row = await deps.db
    .selectFrom(RULES)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('rule_code', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return `${prefix}${String(Number(row.n) + 1 + attempt).padStart(3, '0')}`;
}

function translate(error: unknown, code: string): never {
  if (dbErrorKind(error) === 'unique') {
    const message = String((error as Error).message ?? '');
    if (/coupon/i.test(message)) throw ErpError.COUPON_CODE_TAKEN('that coupon code belongs to another rule');
    throw ErpError.PRICING_RULE_EXISTS(`pricing rule ${code} already exists`);
  }
  throw error;
}

/** Every rule change bumps the shared counter in its own transaction (see RuleCache). */
async function bumpRulesVersion(trx: Kysely<ErpDatabase>): Promise<void> {
  await trx
    .updateTable('hd_pricing_rules_version')
    .set({ version: sql<string>`version + 1` })
    .where('id', '=', 1)
    .execute();
}

/** Inserts a validated rule and its children inside the caller's transaction, with its event. */
export async function insertRuleIn(trx: Kysely<ErpDatabase>, deps: ErpDeps, code: string, input: RuleInput, actor: Actor) {
  const now = deps.clock.now();
  if (input.coupon_code) {
    const taken = await trx.selectFrom(RULES).select('name').where('coupon_code', '=', input.coupon_code).executeTakeFirst();
    if (taken) throw ErpError.COUPON_CODE_TAKEN(`coupon ${input.coupon_code} belongs to rule ${taken.name}`);
  }
  await trx
    .insertInto(RULES)
    .values({ ...newDoc(code, now, actor.user), rule_code: code, rule_status: 'Active', ...columnsOf(input, deps.config.PLANT_TIME_ZONE) })
    .execute();
  await writeChildren(trx, code, input, now, actor);
  await bumpRulesVersion(trx);
  const rule = await readRule(trx, deps, code);
  await trx.updateTable(RULES).set({ rule_status: rule.rule_status }).where('name', '=', code).execute();
  await emit(trx, { type: 'erp.pricing_rule.created', aggregateType: 'pricing_rule', aggregateId: code, payload: rule }, actor, now);
  return rule;
}

/** Replaces a rule's columns and children inside the caller's transaction (row locked), with its event. */
export async function updateRuleIn(trx: Kysely<ErpDatabase>, deps: ErpDeps, name: string, merged: RuleInput, actor: Actor) {
  const now = deps.clock.now();
  const locked = await trx.selectFrom(RULES).select(['version']).where('name', '=', name).forUpdate().executeTakeFirst();
  if (!locked) throw ErpError.PRICING_RULE_NOT_FOUND(`pricing rule ${name} not found`);
  await trx
    .updateTable(RULES)
    .set({ ...columnsOf(merged, deps.config.PLANT_TIME_ZONE), version: Number(locked.version) + 1, ...touched(now, actor.user) })
    .where('name', '=', name)
    .execute();
  await writeChildren(trx, name, merged, now, actor);
  await bumpRulesVersion(trx);
  const rule = await readRule(trx, deps, name);
  await trx.updateTable(RULES).set({ rule_status: rule.rule_status }).where('name', '=', name).execute();
  await emit(
    trx,
    {
      type: rule.is_active ? 'erp.pricing_rule.updated' : 'erp.pricing_rule.deactivated',
      aggregateType: 'pricing_rule',
      aggregateId: name,
      payload: rule,
    },
    actor,
    now,
  );
  return rule;
}

export async function createRule(deps: ErpDeps, input: RuleInput, actor: Actor) {
  validateRule(input, deps.config.PLANT_TIME_ZONE);
  for (let attempt = 0; ; attempt++) {
    const code = input.rule_code ?? (await autoRuleCode(deps, input.rule_type, attempt));
    try {
      const out = await runCommand(deps, actor, (trx) => insertRuleIn(trx, deps, code, input, actor));
      return out;
    } catch (error) {
      if (
        dbErrorKind(error) === 'unique' &&
        input.rule_code === undefined &&
        attempt < 5 &&
        !/coupon/i.test(String((error as Error).message))
      )
        continue;
      translate(error, code);
    }
  }
}

/** A patch is merged over the current rule and the whole result re-validated; children are replaced when given. */
export async function updateRule(deps: ErpDeps, name: string, patch: Partial<RuleInput>, actor: Actor) {
  const current = await getRule(deps, name);
  const merged = { ...current, ...patch } as unknown as RuleInput;
  for (const key of Object.keys(merged) as (keyof RuleInput)[]) if (merged[key] === null) delete merged[key];
  if (merged.tier_mode === undefined) merged.slabs = [];
  validateRule(merged, deps.config.PLANT_TIME_ZONE);
  try {
    const out = await runCommand(deps, actor, (trx) => updateRuleIn(trx, deps, name, merged, actor));
    return out;
  } catch (error) {
    translate(error, name);
  }
}

export type { RuleInput };

export async function listRules(deps: ErpDeps, query: Static<typeof RuleListQuery>) {
  let select = deps.db.selectFrom(RULES).selectAll();
  if (query.is_active !== undefined) select = select.where('is_active', '=', query.is_active ? 1 : 0);
  if (query.rule_type) select = select.where('rule_type', '=', query.rule_type);
  if (query.apply_on) select = select.where('apply_on', '=', query.apply_on);
  if (query.applicable_for) select = select.where('applicable_for', '=', query.applicable_for);
  if (query.coupon_code) select = select.where('coupon_code', '=', query.coupon_code);
  if (query.item_code)
    select = select.where(
      'name',
      'in',
      deps.db.selectFrom('tabHD Pricing Rule Item').select('parent').where('item_code', '=', query.item_code),
    );
  const rows = await selectPage(select.orderBy('priority', 'desc').orderBy('rule_code'), query);
  const rules = await hydrate(deps.db, rows);
  const now = deps.clock.now();
  return pageOf(
    rules.map((rule, i) => toRuleOut(rule, rows[i]!, now, deps.config.PLANT_TIME_ZONE)),
    query.limit,
    query.offset,
  );
}

export async function ruleAnalytics(deps: ErpDeps, name: string) {
  await getRule(deps, name);
  const row = await deps.db
    .selectFrom('tabHD Pricing Rule Application')
    .select((eb) => [
      eb.fn.countAll<string>().as('uses'),
      eb.fn.sum<string>('discount_amount').as('discount'),
      eb.fn.max('application_date').as('last'),
    ])
    .where('pricing_rule', '=', name)
    .executeTakeFirstOrThrow();
  return {
    rule: name,
    usage_count: Number(row.uses),
    total_discount_given: show(String(row.discount ?? '0')),
    last_applied: row.last ? new Date(row.last as Date).toISOString() : null,
  };
}
