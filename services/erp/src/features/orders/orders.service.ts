import type { Static } from '@sinclair/typebox';
import { dec } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { ErpError } from '../../errors.js';
import { emit, runCommand, type Actor, type ErpDeps } from '../../shared/context.js';
import { isoDate, localParts } from '../../shared/dates.js';
import { generatedName, newDoc, pageOf } from '../../shared/docs.js';
import { db6, show } from '../../shared/numbers.js';
import { drawFromBatch, lockBatch, recordMovement } from '../batches/ledger.js';
import { planLines, refuseShortage } from '../batches/stock.service.js';
import { customerContext, linesOf, priceAndLog } from '../pricing/calculate.service.js';
import { segmentsInForce } from '../segments/assignments.service.js';
import * as repo from './orders.repository.js';
import type { ProcessBody } from './orders.schemas.js';
import { validateMasters, validateShape } from './orders.validation.js';

const DOCTYPE = 'HD Order';

/**
 * Processes an order in one transaction: masters checked, the usable batches of every line
 * locked and planned FEFO (a shortage refuses the whole order, nothing reserved), one
 * RESERVATION movement per batch drawn, every line priced by the one evaluator for the
 * customer's segments in force (applications logged), the order stored, `erp.order.processed`
 * written to the outbox. Any refusal rolls everything back.
 */
export async function processOrder(deps: ErpDeps, body: Static<typeof ProcessBody>, actor: Actor) {
  const shape = validateShape(body);
  const customer = shape.customer;
  return runCommand(deps, actor, async (trx) => {
    const lines = await validateMasters(trx, customer, shape.lines);
    // The ledger is in stock units: a line in another UoM reserves its converted quantity.
    const plans = await planLines(
      trx,
      deps,
      lines.map((l) => ({ item: l.item_code, warehouse: l.warehouse, qty: l.stock_qty })),
      'FEFO',
      { lock: true },
    );
    refuseShortage(plans.map((p, index) => ({ ...p, line: lines[index]!.line })));
    const now = deps.clock.now();
    const orderId = generatedName('HD-ORD');
    const reservations = [];
    for (const [index, plan] of plans.entries()) {
      for (const allocation of plan.allocations) {
        const reference = { doctype: DOCTYPE, name: orderId };
        const { batch, movement } = await drawFromBatch(trx, 'RESERVATION', allocation, reference, actor, now);
        reservations.push({
          ...newDoc(generatedName('HD-ORS'), now, actor.user),
          idx: reservations.length,
          parent: orderId,
          parentfield: 'reservations',
          parenttype: DOCTYPE,
          line_no: lines[index]!.line,
          batch_id: batch.name,
          qty: db6(allocation.qty),
          expiry_date: allocation.expiry_date,
          movement: movement.name,
          release_movement: null,
        });
      }
    }
    const local = localParts(now, deps.config.PLANT_TIME_ZONE);
    const inTrx = { ...deps, db: trx };
    const context = {
      at: now,
      local,
      customer: await customerContext(inTrx, customer, local.date),
      price_list: body.price_list ?? null,
      coupons: body.coupon_codes ?? [],
      currency_decimals: deps.config.CURRENCY_DECIMALS,
    };
    const pricingLines = await linesOf(
      inTrx,
      // Priced in the ordered UoM: the stock rate scales by the factor, and UoM rules match the line's unit.
      lines.map((l) => ({
        item_code: l.item_code,
        qty: l.qty,
        warehouse: l.warehouse,
        ...(l.uom === null ? {} : { uom: l.uom }),
        conversion_factor: l.conversion_factor,
      })),
    );
    const quote = await priceAndLog(
      trx,
      deps,
      { context, lines: pricingLines, doctype: DOCTYPE, docname: orderId, customerName: customer },
      actor,
    );
    const segments = await segmentsInForce(trx, deps.dialect, customer, local.date);
    const primary = segments.find((s) => s.primary) ?? null;
    const items = quote.lines.map((q, index) => ({
      ...newDoc(generatedName('HD-ORI'), now, actor.user),
      idx: index,
      parent: orderId,
      parentfield: 'items',
      parenttype: DOCTYPE,
      line_no: lines[index]!.line,
      item_code: q.item_code,
      warehouse: lines[index]!.warehouse,
      uom: lines[index]!.uom,
      qty: db6(q.qty),
      base_rate: db6(q.base_rate),
      base_amount: db6(q.base_amount),
      discount_amount: db6(q.discount_amount),
      discount_percentage: db6(q.discount_percentage),
      final_rate: db6(q.final_rate),
      final_amount: db6(q.final_amount),
      conversion_factor: db6(lines[index]!.conversion_factor),
      stock_qty: db6(lines[index]!.stock_qty),
      pricing_rules: JSON.stringify(
        q.pricing_rules_applied.map((r) => ({
          rule_code: r.rule_code,
          stacking: r.stacking,
          basis: r.basis,
          discount_amount: r.discount_amount,
          rate_after: r.rate_after,
        })),
      ),
    }));
    await repo.insertOrder(
      trx,
      {
        ...newDoc(orderId, now, actor.user),
        docstatus: 1,
        customer,
        customer_segment: primary?.name ?? null,
        status: 'Processed',
        order_date: new Date(now),
        reference: body.reference ?? null,
        line_count: lines.length,
        total_before_discount: db6(quote.totalBeforeDiscount),
        total_discount: db6(quote.totalDiscount),
        total_after_discount: db6(quote.totalAfterDiscount),
        cancelled_at: null,
        cancel_reason: null,
      },
      items,
      reservations,
    );
    const out = await readOrder(trx, orderId);
    await emit(
      trx,
      {
        type: 'erp.order.processed',
        aggregateType: 'order',
        aggregateId: orderId,
        payload: {
          order: orderId,
          customer,
          customer_segment: out.customer_segment,
          reference: out.reference,
          lines: out.lines.map((l) => ({
            line: l.line,
            item_code: l.item_code,
            warehouse: l.warehouse,
            qty: l.qty,
            final_amount: l.final_amount,
            reservations: l.reservations.map((r) => ({ batch: r.batch, qty: r.qty, expiry_date: r.expiry_date })),
          })),
          totalBeforeDiscount: out.totalBeforeDiscount,
          totalDiscount: out.totalDiscount,
          totalAfterDiscount: out.totalAfterDiscount,
        },
      },
      actor,
      now,
    );
    return out;
  });
}

/**
 * Cancels an order: every reservation goes back to its batch as a RELEASE movement that names
 * the reservation it reverses; under the order's row lock, only reservations with no release yet
 * are released, each recording its release movement, so stock cannot come back twice. A second cancel is 409
 * ORDER_ALREADY_CANCELLED and changes nothing; an Idempotency-Key replay answers the first 200.
 */
export async function cancelOrder(deps: ErpDeps, orderId: string, input: { reason?: string }, actor: Actor) {
  await runCommand(deps, actor, async (trx) => {
    const order = await repo.lockOrder(trx, orderId);
    if (!order) throw ErpError.ORDER_NOT_FOUND(`order ${orderId} not found`, { details: { order: orderId } });
    if (order.status === 'Cancelled')
      throw ErpError.ORDER_ALREADY_CANCELLED(`order ${orderId} is already cancelled`, {
        details: { order: orderId, cancelled_at: order.cancelled_at ? new Date(order.cancelled_at).toISOString() : null },
      });
    const reservations = (await repo.reservationsOf(trx, orderId)).filter((r) => r.release_movement === null);
    await repo.lockBatchesByName(trx, [...new Set(reservations.map((r) => r.batch_id))]);
    const now = deps.clock.now();
    const released = [];
    for (const r of reservations) {
      const batch = await lockBatch(trx, r.batch_id);
      const movement = await recordMovement(
        trx,
        batch,
        {
          type: 'RELEASE',
          change: dec(r.qty),
          reference_doctype: DOCTYPE,
          reference_name: orderId,
          reverses_movement: r.movement,
          to_warehouse: batch.warehouse,
        },
        actor,
        now,
      );
      await repo.markReleased(trx, r.name, movement.name, new Date(now));
      released.push({ batch: r.batch_id, qty: show(r.qty), expiry_date: isoDate(r.expiry_date) });
    }
    await repo.markCancelled(trx, orderId, {
      cancelled_at: new Date(now),
      cancel_reason: input.reason ?? null,
      modified_by: actor.user ?? null,
    });
    await emit(
      trx,
      {
        type: 'erp.order.cancelled',
        aggregateType: 'order',
        aggregateId: orderId,
        payload: { order: orderId, customer: order.customer, reason: input.reason ?? null, released },
      },
      actor,
      now,
    );
  });
  return getOrder(deps, orderId);
}

async function readOrder(db: Kysely<ErpDatabase>, orderId: string) {
  const order = await repo.findOrder(db, orderId);
  if (!order) throw ErpError.ORDER_NOT_FOUND(`order ${orderId} not found`, { details: { order: orderId } });
  const [items, reservations] = [await repo.itemsOf(db, orderId), await repo.reservationsOf(db, orderId)];
  return {
    success: true,
    ...summaryOf(order),
    lines: items.map((item) => ({
      line: Number(item.line_no),
      item_code: item.item_code,
      warehouse: item.warehouse,
      uom: item.uom,
      qty: show(item.qty),
      conversion_factor: show(item.conversion_factor),
      stock_qty: show(item.stock_qty ?? item.qty),
      unit_price: show(item.base_rate),
      base_amount: show(item.base_amount),
      discount_amount: show(item.discount_amount),
      discount_percentage: show(item.discount_percentage),
      final_rate: show(item.final_rate),
      final_amount: show(item.final_amount),
      rules_applied: JSON.parse(item.pricing_rules) as {
        rule_code: string;
        stacking: string;
        basis: string;
        discount_amount: string;
        rate_after: string;
      }[],
      reservations: reservations
        .filter((r) => Number(r.line_no) === Number(item.line_no))
        .map((r) => ({
          batch: r.batch_id,
          qty: show(r.qty),
          expiry_date: isoDate(r.expiry_date),
          movement: r.movement,
          release_movement: r.release_movement,
        })),
    })),
  };
}

function summaryOf(order: repo.OrderRow) {
  return {
    order_id: order.name,
    customer: order.customer,
    customer_segment: order.customer_segment,
    status: order.status as 'Processed' | 'Cancelled',
    order_date: new Date(order.order_date).toISOString(),
    reference: order.reference,
    line_count: Number(order.line_count),
    cancelled_at: order.cancelled_at ? new Date(order.cancelled_at).toISOString() : null,
    cancel_reason: order.cancel_reason,
    totalBeforeDiscount: show(order.total_before_discount),
    totalDiscount: show(order.total_discount),
    totalAfterDiscount: show(order.total_after_discount),
  };
}

export async function getOrder(deps: Pick<ErpDeps, 'db'>, orderId: string) {
  return readOrder(deps.db, orderId);
}

export async function listOrders(deps: Pick<ErpDeps, 'db'>, query: { customer?: string; status?: string; limit: number; offset: number }) {
  const rows = await repo.listOrders(deps.db, query);
  return pageOf(rows.map(summaryOf), query.limit, query.offset);
}
