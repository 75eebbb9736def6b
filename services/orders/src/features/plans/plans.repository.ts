import { uuid } from '@tributary/platform/core';
import { dbConstraintName, dbErrorKind, sql } from '@tributary/platform/db';
import type { OrdersDb, OrdersTrx } from '../../deps.js';
import { OrdersError } from '../../errors.js';
import type { AggregatedPlan, RawRecord } from './plan-rows.js';

export interface PlanRow {
  order_code: string;
  product_name: string;
  item_code: string;
  requirement: string;
  plan_start: string;
  plan_end: string;
}

export interface PlanShipmentRow {
  order_code: string;
  request_code: string;
  shipment_code: number;
  quantity: string;
  status: string;
}

const planColumns = [
  'order_plan.order_code',
  'order_plan.product_name',
  'order_plan.item_code',
  'order_plan.requirement',
  sql<string>`cast(order_plan.plan_start as text)`.as('plan_start'),
  sql<string>`cast(order_plan.plan_end as text)`.as('plan_end'),
] as const;

export async function insertRawRows(trx: OrdersTrx, rows: readonly (RawRecord & { row: number })[], now: number): Promise<void> {
  const uploadId = uuid();
  // Chunked: one statement per 500 rows keeps the parameter count well under PostgreSQL's limit.
  for (let start = 0; start < rows.length; start += 500) {
    await trx
      .insertInto('order_plan_raw')
      .values(
        rows.slice(start, start + 500).map(({ row, ...record }) => ({ ...record, upload_id: uploadId, row_number: row, uploaded_at: now })),
      )
      .execute();
  }
}

/** A re-uploaded order code replaces the plan's figures (plans get revised); requests keep pointing at it. */
export async function upsertPlans(trx: OrdersTrx, plans: readonly AggregatedPlan[], now: number): Promise<PlanRow[]> {
  const saved: PlanRow[] = [];
  for (const plan of plans) {
    const row = await trx
      .insertInto('order_plan')
      .values({
        order_code: plan.order_code,
        product_name: plan.product_name,
        item_code: plan.item_code,
        requirement: plan.requirementGrams.toString(),
        plan_start: plan.plan_start,
        plan_end: plan.plan_end,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('order_code').doUpdateSet((eb) => ({
          product_name: eb.ref('excluded.product_name'),
          item_code: eb.ref('excluded.item_code'),
          requirement: eb.ref('excluded.requirement'),
          plan_start: eb.ref('excluded.plan_start'),
          plan_end: eb.ref('excluded.plan_end'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returning(planColumns)
      .executeTakeFirstOrThrow();
    saved.push(row as PlanRow);
  }
  return saved;
}

/** Plans in (plan_start, order_code) order; with `page`, up to `limit` of them after the key `after`. */
export async function listPlans(
  db: OrdersDb,
  orderCode?: string,
  page?: { after?: readonly [string, string]; limit: number },
): Promise<PlanRow[]> {
  let query = db.selectFrom('order_plan').select(planColumns).orderBy('order_plan.plan_start').orderBy('order_plan.order_code');
  if (orderCode !== undefined) query = query.where('order_plan.order_code', '=', orderCode);
  const after = page?.after;
  if (after !== undefined) {
    const [start, code] = after;
    query = query.where((eb) =>
      eb.or([
        eb('order_plan.plan_start', '>', start),
        eb.and([eb('order_plan.plan_start', '=', start), eb('order_plan.order_code', '>', code)]),
      ]),
    );
  }
  if (page !== undefined) query = query.limit(page.limit);
  return (await query.execute()) as PlanRow[];
}

/** Locks the plans (sorted, so concurrent commands never deadlock) and returns the ones that exist. */
export async function lockPlans(trx: OrdersTrx, orderCodes: readonly string[]): Promise<Map<string, PlanRow>> {
  const codes = [...new Set(orderCodes)].sort();
  if (codes.length === 0) return new Map();
  const rows = (await trx
    .selectFrom('order_plan')
    .select(planColumns)
    .where('order_code', 'in', codes)
    .orderBy('order_code')
    .forUpdate()
    .execute()) as PlanRow[];
  return new Map(rows.map((row) => [row.order_code, row]));
}

export async function shipmentsOfPlans(db: OrdersDb | OrdersTrx, orderCodes: readonly string[]): Promise<PlanShipmentRow[]> {
  if (orderCodes.length === 0) return [];
  return (await db
    .selectFrom('order_shipment as s')
    .innerJoin('order_request as r', 'r.request_code', 's.request_code')
    .select(['r.order_code', 's.request_code', 's.shipment_code', 's.quantity', 's.status'])
    .where('r.order_code', 'in', [...new Set(orderCodes)])
    .orderBy('s.request_code')
    .orderBy('s.shipment_code')
    .execute()) as PlanShipmentRow[];
}

/** Refused (409) while any request or schedule refers to the plan; the foreign keys make it race-free. */
export async function deletePlan(trx: OrdersTrx, orderCode: string): Promise<boolean> {
  const found = await trx.selectFrom('order_plan').select('order_code').where('order_code', '=', orderCode).forUpdate().executeTakeFirst();
  if (!found) return false;
  const requests = await trx
    .selectFrom('order_request')
    .select('request_code')
    .where('order_code', '=', orderCode)
    .limit(1)
    .executeTakeFirst();
  const schedules = await trx
    .selectFrom('order_schedule')
    .select('schedule_code')
    .where('order_code', '=', orderCode)
    .limit(1)
    .executeTakeFirst();
  if (requests || schedules) throw planInUse(orderCode);
  await trx.deleteFrom('order_plan_raw').where('order_code', '=', orderCode).execute();
  try {
    await trx.deleteFrom('order_plan').where('order_code', '=', orderCode).execute();
  } catch (error) {
    if (dbErrorKind(error) === 'foreign_key') throw planInUse(orderCode, dbConstraintName(error));
    throw error;
  }
  return true;
}

function planInUse(orderCode: string, constraint?: string) {
  return OrdersError.PLAN_IN_USE(`Plan ${orderCode} is referenced by requests or schedules and cannot be deleted`, {
    details: { order_code: orderCode, ...(constraint ? { constraint } : {}) },
  });
}
