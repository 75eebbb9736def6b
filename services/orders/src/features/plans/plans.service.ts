import { Type } from '@sinclair/typebox';
import { ORDERS_AGGREGATES, ORDERS_EVENT_TYPES, type PlanDeletedPayload, type PlanUpsertedPayload } from '@tributary/contracts';
import { decodeCursor, PAGE_LIMIT_DEFAULT, pageOf, type Page } from '@tributary/platform/core';
import { writeEvents } from '@tributary/platform/outbox';
import { runCommand, type Command, type PlanDeps } from '../../deps.js';
import { consumesAllowance } from '../../domain.js';
import { OrdersError } from '../../errors.js';
import { groupBy } from '../../group.js';
import { kg } from '../../units.js';
import { aggregatePlanRows, type NumberedRow } from './plan-rows.js';
import * as repo from './plans.repository.js';
import type { PlanListQuery, PlanOut, PlanWithRequests } from './plans.schemas.js';

const toPlanOut = (row: repo.PlanRow): PlanOut => ({
  order_code: row.order_code,
  product_name: row.product_name,
  item_code: row.item_code,
  requirement: kg(row.requirement),
  plan_start: row.plan_start,
  plan_end: row.plan_end,
});

/** Rows are staged in order_plan_raw and aggregated into order_plan in one transaction. */
export async function uploadPlan(deps: PlanDeps, command: Command, rows: readonly NumberedRow[]): Promise<PlanOut[]> {
  const { plans, raw } = aggregatePlanRows(rows);
  const saved = await runCommand(deps, command, async (trx) => {
    await repo.insertRawRows(trx, raw, command.now);
    const upserted = await repo.upsertPlans(trx, plans, command.now);
    await writeEvents(
      trx,
      upserted.map((plan) => ({
        aggregateType: ORDERS_AGGREGATES.plan,
        aggregateId: plan.order_code,
        type: ORDERS_EVENT_TYPES.planUpserted,
        payload: {
          orderCode: plan.order_code,
          productName: plan.product_name,
          itemCode: plan.item_code,
          requirementKg: kg(plan.requirement),
          planStart: plan.plan_start,
          planEnd: plan.plan_end,
        } satisfies PlanUpsertedPayload,
      })),
      { now: () => command.now },
    );
    return upserted;
  });
  return saved.map(toPlanOut);
}

export async function listPlansWithRequests(deps: PlanDeps, orderCode?: string): Promise<PlanWithRequests[]> {
  return withRequests(deps, await repo.listPlans(deps.db, orderCode));
}

const PlanCursor = Type.Tuple([Type.String({ maxLength: 40 }), Type.String({ maxLength: 100 })]);

/** A page of plans in (plan_start, order_code) order. */
export async function listPlansPage(deps: PlanDeps, query: PlanListQuery): Promise<Page<PlanWithRequests>> {
  const limit = query.limit ?? PAGE_LIMIT_DEFAULT;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, PlanCursor);
  const rows = await repo.listPlans(deps.db, query.order_code, { ...(after ? { after } : {}), limit: limit + 1 });
  const page = pageOf(rows, limit, (plan) => [plan.plan_start, plan.order_code]);
  return { items: await withRequests(deps, page.items), next: page.next };
}

async function withRequests(deps: PlanDeps, plans: readonly repo.PlanRow[]): Promise<PlanWithRequests[]> {
  const shipments = await repo.shipmentsOfPlans(
    deps.db,
    plans.map((plan) => plan.order_code),
  );
  const byPlan = groupBy(shipments, (shipment) => shipment.order_code);
  return plans.map((plan) => {
    const mine = byPlan.get(plan.order_code) ?? [];
    return {
      ...toPlanOut(plan),
      allowed: kg(allowedGrams(plan.requirement, mine)),
      requests: mine.map((shipment) => ({
        request_code: Number(shipment.request_code),
        shipment_code: shipment.shipment_code,
        quantity: kg(shipment.quantity),
        status: shipment.status,
      })),
    };
  });
}

/** What may still be requested without approval. */
export function allowedGrams(requirement: string, shipments: readonly { quantity: string; status: string }[]): bigint {
  return shipments.reduce(
    (left, shipment) => (consumesAllowance(shipment.status) ? left - BigInt(shipment.quantity) : left),
    BigInt(requirement),
  );
}

export async function deletePlan(deps: PlanDeps, command: Command, orderCode: string): Promise<{ success: boolean }> {
  await runCommand(deps, command, async (trx) => {
    if (!(await repo.deletePlan(trx, orderCode)))
      throw OrdersError.PLAN_NOT_FOUND(`No plan ${orderCode}`, { details: { order_code: orderCode } });
    await writeEvents(
      trx,
      [
        {
          aggregateType: ORDERS_AGGREGATES.plan,
          aggregateId: orderCode,
          type: ORDERS_EVENT_TYPES.planDeleted,
          payload: { orderCode } satisfies PlanDeletedPayload,
        },
      ],
      { now: () => command.now },
    );
  });
  return { success: true };
}
