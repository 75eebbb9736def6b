import type { OrdersApi } from '@tributary/contracts';
import type { CommandContext } from '@tributary/platform/command';
import { isAppError } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';
import { ProcessingError } from '../../errors.js';
import { copyHasShipment } from '../orders-copy/copy.repository.js';

/** What the shipment check reads: the local copy of orders' shipments and, failing that, orders. */
export interface ShipmentCheckDeps {
  db: Kysely<ProcessingDb>;
  /** Absent when processing runs without an orders peer (its own suites, the benchmarks): no check then. */
  orders: OrdersApi | undefined;
}

/**
 * Refuses an allocation to a shipment orders does not have (ADR 0202, "Shipments come from
 * orders"). The event-fed copy answers first, with no call; a shipment it has not seen yet
 * (just created, its event still on the way) is asked of orders, signed as processing. When
 * neither can answer the allocation is refused as unavailable, never accepted blind.
 */
export async function ensureShipmentKnown(
  deps: ShipmentCheckDeps,
  actor: CommandContext,
  key: { request_code: number | string; shipment_code: number | string },
): Promise<void> {
  if (!deps.orders) return;
  const requestCode = Number(key.request_code);
  const shipmentCode = Number(key.shipment_code);
  if (await copyHasShipment(deps.db, String(requestCode), shipmentCode)) return;
  const details = { request_code: requestCode, shipment_code: shipmentCode };
  let known: boolean;
  try {
    const orders = await deps.orders.listOrders({ request_code: requestCode }, { correlation: actor });
    known = orders.some(
      (order) => Number(order.request_code) === requestCode && (order.shipments ?? []).some((s) => s.shipment_code === shipmentCode),
    );
  } catch (error) {
    // A refusal by orders is its answer, passed on; only an orders that cannot answer is 503.
    if (isAppError(error) && error.category !== 'unavailable' && error.category !== 'timeout') throw error;
    const cause = isAppError(error) ? error.code : 'UPSTREAM_UNAVAILABLE';
    throw ProcessingError.SHIPMENT_UNVERIFIABLE(
      `shipment ${requestCode}/${shipmentCode} is not in the local copy and orders could not be asked (${cause})`,
      { details: { ...details, cause } },
    );
  }
  if (!known) throw ProcessingError.SHIPMENT_UNKNOWN(`orders has no shipment ${shipmentCode} of request ${requestCode}`, { details });
}
