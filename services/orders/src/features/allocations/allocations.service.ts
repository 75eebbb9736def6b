import { Value } from '@sinclair/typebox/value';
import { AllocationChangedPayload, type EventEnvelope } from '@tributary/contracts';
import { dbErrorKind } from '@tributary/platform/db';
import type { OrdersTrx } from '../../deps.js';
import { OrdersError } from '../../errors.js';
import { kg, kgDeltaToGrams } from '../../units.js';
import { addAllocated } from '../shipments/shipments.repository.js';

/**
 * Keeps order_shipment.allocated = Σ of processing's bag allocations to the shipment, from
 * `allocation.changed` events, inside the kernel inbox's transaction (each event id applies
 * once; other event types are acknowledged as ignored there). Over-allocation is recorded
 * (it is processing's fact to report, reconciliation flags it); a negative total is refused.
 */
export async function applyAllocationChanged(trx: OrdersTrx, envelope: EventEnvelope, now: number): Promise<void> {
  if (!Value.Check(AllocationChangedPayload, envelope.payload)) {
    const first = [...Value.Errors(AllocationChangedPayload, envelope.payload)][0];
    throw OrdersError.EVENT_PAYLOAD_INVALID(`allocation.changed payload is invalid${first ? `: ${first.path} ${first.message}` : ''}`);
  }
  const payload = envelope.payload;
  const delta = kgDeltaToGrams(payload.allocatedKgDelta, 'allocatedKgDelta');
  try {
    const updated = await addAllocated(trx, payload.requestCode, payload.shipmentCode, delta, now);
    if (!updated) {
      throw OrdersError.SHIPMENT_NOT_FOUND(`No shipment ${payload.shipmentCode} of request ${payload.requestCode}`, {
        details: { request_code: payload.requestCode, shipment_code: payload.shipmentCode },
      });
    }
  } catch (error) {
    if (dbErrorKind(error) === 'check') {
      throw OrdersError.SHIPMENT_ALLOCATION_NEGATIVE(
        `The allocation of shipment ${payload.requestCode}/${payload.shipmentCode} would drop below zero`,
        {
          details: { request_code: payload.requestCode, shipment_code: payload.shipmentCode, delta: kg(delta) },
        },
      );
    }
    throw error;
  }
}
