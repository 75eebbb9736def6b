import { Type } from '@sinclair/typebox';
import { ORDERS_AGGREGATES, ORDERS_EVENT_TYPES, type RequestCreatedPayload } from '@tributary/contracts';
import { decodeCursor, PAGE_LIMIT_DEFAULT, pageOf, type Page } from '@tributary/platform/core';
import { writeEvents, type OutboxEventInput } from '@tributary/platform/outbox';
import { runCommand, type Command, type OrderDeps, type OrdersDb, type OrdersTrx } from '../../deps.js';
import { OrdersError } from '../../errors.js';
import { groupBy } from '../../group.js';
import { kg, kgToPositiveGrams } from '../../units.js';
import { lockPlans, shipmentsOfPlans } from '../plans/plans.repository.js';
import { allowedGrams } from '../plans/plans.service.js';
import * as repo from '../shipments/shipments.repository.js';
import { orderViews } from '../shipments/views.js';
import type { OrderCreateBody, OrderListQuery, OrderOut } from './orders.schemas.js';

function shipmentFilter(query: OrderListQuery): repo.ShipmentFilter {
  return {
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.timestamp !== undefined ? { since: query.timestamp } : {}),
    ...(query.shipment_vehicle !== undefined ? { vehicle: query.shipment_vehicle } : {}),
    ...(query.order_code !== undefined ? { orderCode: query.order_code } : {}),
    ...(query.request_code !== undefined ? { requestCode: String(query.request_code) } : {}),
  };
}

export async function listOrders(deps: OrderDeps, query: OrderListQuery): Promise<OrderOut[]> {
  return viewsOf(deps.db, await repo.findShipments(deps.db, shipmentFilter(query)));
}

const RequestCursor = Type.Tuple([Type.String({ pattern: '^[0-9]{1,19}$' })]);

/** A page of requests in request_code order, each with all its matching shipments. */
export async function listOrdersPage(deps: OrderDeps, query: OrderListQuery): Promise<Page<OrderOut>> {
  const limit = query.limit ?? PAGE_LIMIT_DEFAULT;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, RequestCursor)[0];
  const filter = shipmentFilter(query);
  const codes = await repo.requestCodesPage(deps.db, filter, after, limit + 1);
  const page = pageOf(codes, limit, (code) => [code]);
  const items = await viewsOf(deps.db, await repo.findShipments(deps.db, { ...filter, requestCodes: page.items }));
  return { items, next: page.next };
}

export async function viewsOf(db: OrdersDb | OrdersTrx, shipments: readonly repo.ShipmentRow[]): Promise<OrderOut[]> {
  const codes = [...new Set(shipments.map((shipment) => String(shipment.request_code)))];
  const [requests, events] = await Promise.all([repo.findRequests(db, codes), repo.eventsOfRequests(db, codes)]);
  return orderViews(requests, shipments, events);
}

/**
 * Each element creates a request, its shipment 1 (the whole requirement) and the first event,
 * all elements in one transaction. A standard request (ORDER_REQUESTED) may not exceed what
 * the plan still allows; a special request (APPROVAL_REQUESTED) may, once a supervisor allows it.
 */
export async function createOrders(deps: OrderDeps, command: Command, body: OrderCreateBody): Promise<OrderOut[]> {
  const items = body.map((item, index) => ({ ...item, grams: kgToPositiveGrams(item.requirement, `[${index}].requirement`), index }));
  const created = await runCommand(deps, command, async (trx) => {
    const plans = await lockPlans(
      trx,
      items.map((item) => item.order_code),
    );
    const missing = items.find((item) => !plans.has(item.order_code));
    if (missing) {
      throw OrdersError.PLAN_NOT_FOUND(`No plan ${missing.order_code}`, {
        details: { index: missing.index, order_code: missing.order_code },
      });
    }
    const existing = await shipmentsOfPlans(trx, [...plans.keys()]);
    const allowed = new Map(
      [...plans.values()].map((plan) => [
        plan.order_code,
        allowedGrams(
          plan.requirement,
          existing.filter((s) => s.order_code === plan.order_code),
        ),
      ]),
    );

    const shipments: repo.ShipmentRow[] = [];
    const events: OutboxEventInput[] = [];
    for (const item of items) {
      if (item.status === 'ORDER_REQUESTED') {
        const left = allowed.get(item.order_code)!;
        if (item.grams > left) {
          throw OrdersError.ORDER_EXCEEDS_ALLOWANCE(
            `Plan ${item.order_code} allows ${kg(left > 0n ? left : 0n)} kg more; request it with APPROVAL_REQUESTED instead`,
            {
              details: { index: item.index, order_code: item.order_code, allowed: kg(left), requested: kg(item.grams) },
            },
          );
        }
        allowed.set(item.order_code, left - item.grams);
      }
      const request = await repo.insertRequest(trx, {
        order_code: item.order_code,
        product_name: item.product_name,
        requirement: item.grams,
        comments: item.comments ?? null,
        created_at: command.now,
        created_by: command.caller.actor,
      });
      const requestCode = String(request.request_code);
      await repo.insertShipment(trx, {
        request_code: requestCode,
        shipment_code: 1,
        quantity: item.grams,
        status: item.status,
        now: command.now,
      });
      await repo.insertEvent(trx, {
        request_code: requestCode,
        shipment_code: 1,
        status: item.status,
        event_ts: command.now,
        shipment_vehicle: null,
        order_remarks: null,
        shipment_remarks: null,
        actor: command.caller.actor,
      });
      shipments.push({ request_code: requestCode, shipment_code: 1, quantity: item.grams.toString(), allocated: '0', status: item.status });
      events.push({
        aggregateType: ORDERS_AGGREGATES.request,
        aggregateId: requestCode,
        type: ORDERS_EVENT_TYPES.requestCreated,
        payload: {
          requestCode,
          orderCode: item.order_code,
          productName: item.product_name,
          requirementKg: kg(item.grams),
          comments: item.comments ?? null,
          shipmentCode: 1,
          quantityKg: kg(item.grams),
          status: item.status,
          eventTs: command.now,
        } satisfies RequestCreatedPayload,
      });
    }
    await writeEvents(trx, events, { now: () => command.now });
    return viewsOf(trx, shipments);
  });
  for (const [status, items] of groupBy(body, (item) => item.status)) deps.metrics.requestsCreated(status, items.length);
  return created;
}
