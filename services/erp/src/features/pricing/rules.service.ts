import { dec } from '@tributary/platform/core';
import { dbErrorKind, sql, type Kysely } from '@tributary/platform/db';
import type { Static } from '@sinclair/typebox';
import { ErpError } from '../../errors.js';
import type { ErpDatabase } from '../../db/schema.js';
import { runCommand, type Actor, emit, type ErpDeps } from '../../shared/context.js';
import { plantDate } from '../../shared/dates.js';
import { newDoc, pageOf, selectPage, touched } from '../../shared/docs.js';
import { db6, show, showOrNull } from '../../shared/numbers.js';
import type { RuleFields, RuleListQuery } from './pricing.schemas.js';
import type { PricingRule } from './rule-model.js';
import { normTime, parseInstant, validateRule } from './rule-validation.js';
import { hydrate, type RuleRow } from './rules.repository.js';

const RULES = 'tabHD Dynamic Pricing Rule' as const;
type RuleInput = Static<typeof RuleFields>;

export { parseInstant, validateRule } from './rule-validation.js';

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
    ...erpnextColumnsOf(input),
  };
}

function erpnextColumnsOf(input: RuleInput) {
  const product = input.price_or_product_discount === 'Product';
  const other = input.apply_rule_on_other ?? null;
  return {
    margin_type: input.margin_type ?? null,
    margin_rate_or_amount: db6(input.margin_type ? (input.margin_rate_or_amount ?? '0') : '0'),
    price_or_product_discount: product ? 'Product' : 'Price',
    free_item: product ? (input.free_item ?? null) : null,
    free_qty: db6(product ? (input.free_qty ?? '1') : '0'),
    is_recursive: product && input.is_recursive ? 1 : 0,
    recurse_for: db6(product && input.is_recursive ? (input.recurse_for ?? '0') : '0'),
    apply_recursion_over: db6(product && input.is_recursive ? (input.apply_recursion_over ?? '0') : '0'),
    round_free_qty: product && input.round_free_qty ? 1 : 0,
    uom: input.uom ?? null,
    currency: input.currency ?? null,
    apply_rule_on_other: other,
    other_item_code: other === 'Item Code' ? (input.other_item_code ?? null) : null,
    other_item_group: other === 'Item Group' ? (input.other_item_group ?? null) : null,
    apply_multiple_pricing_rules: input.apply_multiple_pricing_rules ? 1 : 0,
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
    margin_type: rule.margin_type ?? null,
    margin_rate_or_amount: show(rule.margin_rate_or_amount ?? '0'),
    price_or_product_discount: rule.price_or_product_discount ?? 'Price',
    free_item: rule.free_item ?? null,
    free_qty: show(rule.free_qty ?? '0'),
    is_recursive: rule.is_recursive ?? false,
    recurse_for: show(rule.recurse_for ?? '0'),
    apply_recursion_over: show(rule.apply_recursion_over ?? '0'),
    round_free_qty: rule.round_free_qty ?? false,
    uom: rule.uom ?? null,
    currency: rule.currency ?? null,
    apply_rule_on_other: rule.apply_rule_on_other ?? null,
    other_item_code: rule.other_item_code ?? null,
    other_item_group: rule.other_item_group ?? null,
    apply_multiple_pricing_rules: rule.apply_multiple_pricing_rules ?? false,
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
