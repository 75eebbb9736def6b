import { Value } from '@sinclair/typebox/value';
import { ALLOCATION_CHANGED, AllocationChangedPayload, type EventAck, type EventEnvelope } from '@tributary/contracts';
import { dbErrorKind, inTransaction } from '@tributary/platform/db';
import { applyOnce } from '@tributary/platform/outbox';
import type { OrdersDeps } from '../../deps.js';
import { OrdersError } from '../../errors.js';
import { kg, kgDeltaToGrams } from '../../units.js';
import { addAllocated } from '../shipments/shipments.repository.js';

/**
 * Keeps order_shipment.allocated = Σ of processing's bag allocations to the shipment, from
 * `allocation.changed` events. Each event id applies once (inbox row in the same
 * transaction); other event types are acknowledged as ignored. Over-allocation is recorded
 * (it is processing's fact to report, reconciliation flags it); a negative total is refused.
 */
export async function receiveEvent(deps: OrdersDeps, envelope: EventEnvelope): Promise<EventAck> {
  if (envelope.type !== ALLOCATION_CHANGED) {
    deps.metrics.allocationEvent('ignored');
    return { status: 'ignored' };
  }
  if (!Value.Check(AllocationChangedPayload, envelope.payload)) {
    const first = [...Value.Errors(AllocationChangedPayload, envelope.payload)][0];
    throw OrdersError.EVENT_PAYLOAD_INVALID(`allocation.changed payload is invalid${first ? `: ${first.path} ${first.message}` : ''}`);
  }
  const payload = envelope.payload;
  const delta = kgDeltaToGrams(payload.allocatedKgDelta, 'allocatedKgDelta');
  const now = deps.clock.now();
  try {
    const outcome = await inTransaction(deps.db, (trx) =>
      applyOnce(
        trx,
        envelope.id,
        async () => {
          const updated = await addAllocated(trx, payload.requestCode, payload.shipmentCode, delta, now);
          if (!updated) {
            throw OrdersError.SHIPMENT_NOT_FOUND(`No shipment ${payload.shipmentCode} of request ${payload.requestCode}`, {
              details: { request_code: payload.requestCode, shipment_code: payload.shipmentCode },
            });
          }
          return updated;
        },
        { source: envelope.source, now: () => now },
      ),
    );
    const status = outcome.applied ? 'applied' : 'duplicate';
    deps.metrics.allocationEvent(status);
    return { status };
  } catch (error) {
    if (dbErrorKind(error) === 'check') {
      throw OrdersError.SHIPMENT_ALLOCATION_NEGATIVE(`The allocation of shipment ${payload.requestCode}/${payload.shipmentCode} would drop below zero`, {
        details: { request_code: payload.requestCode, shipment_code: payload.shipmentCode, delta: kg(delta) },
      });
    }
    throw error;
  }
}
