import {
  ORDERS_EVENT_TYPES,
  type RequestCreatedPayload,
  type ShipmentEventAddedPayload,
  type ShipmentQuantityChangedPayload,
} from '@tributary/contracts';
import type { ProcessingDb } from '../../db/schema.js';
import { dec } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import { findShipment, insertShipment, touchState, updateShipment } from './copy.repository.js';

/** Statuses the copy keeps; "dispatchable" is status ORDER_READY (the last status wins, as in orders). */
const kgText = (value: string) =>
  dec(value)
    .toFixed(3)
    .replace(/\.?0+$/, '');

/**
 * Applies one orders event to the local copy of shipments. Returns false for event types the
 * copy does not need (they are acknowledged as `ignored`). Runs inside the consumer's
 * `applyOnce` transaction, so a redelivery never applies twice.
 */
export async function applyOrdersEvent(trx: Kysely<ProcessingDb>, type: string, payload: unknown, now: number): Promise<boolean> {
  switch (type) {
    case ORDERS_EVENT_TYPES.requestCreated: {
      const p = payload as RequestCreatedPayload;
      await insertShipment(
        trx,
        {
          request_code: p.requestCode,
          shipment_code: p.shipmentCode,
          order_code: p.orderCode,
          product_name: p.productName,
          requirement: kgText(p.requirementKg),
          comments: p.comments,
          quantity: kgText(p.quantityKg),
          status: p.status,
          events: [{ status: p.status, timestamp: p.eventTs }],
        },
        now,
      );
      break;
    }
    case ORDERS_EVENT_TYPES.shipmentQuantityChanged: {
      const p = payload as ShipmentQuantityChangedPayload;
      const original = await findShipment(trx, p.requestCode, p.shipmentCode);
      if (!original) return false;
      await updateShipment(trx, p.requestCode, p.shipmentCode, { quantity: kgText(p.quantityKg) }, now);
      await insertShipment(
        trx,
        { ...original, shipment_code: p.splitInto.shipmentCode, quantity: kgText(p.splitInto.quantityKg), status: p.splitInto.status },
        now,
      );
      break;
    }
    case ORDERS_EVENT_TYPES.shipmentEventAdded: {
      const p = payload as ShipmentEventAddedPayload;
      const shipment = await findShipment(trx, p.requestCode, p.shipmentCode);
      if (!shipment) return false;
      const event = { status: p.status, timestamp: p.eventTs, ...(p.shipmentVehicle ? { shipment_vehicle: p.shipmentVehicle } : {}) };
      await updateShipment(trx, p.requestCode, p.shipmentCode, { status: p.status, events: [...shipment.events, event] }, now);
      break;
    }
    default:
      return false;
  }
  await touchState(trx, 'last_event_at', now);
  return true;
}
