import { Value } from '@sinclair/typebox/value';
import { BatchTraderStatusChangedPayload, type EventEnvelope } from '@tributary/contracts';
import type { CommandContext } from '@tributary/platform/command';
import { writeEvents, type OutboxEventInput } from '@tributary/platform/outbox';
import type { OrdersTrx } from '../../deps.js';
import type { ShipmentStatus } from '../../domain.js';
import { OrdersError } from '../../errors.js';
import { lockShipmentsOfItem } from '../shipments/shipments.repository.js';
import { record } from '../shipments/shipments.service.js';
import { NEXT_STATUSES } from '../shipments/workflow.js';

/** Where the workflow still lets a shipment become TRADER_BLOCKED: not yet dispatched, not refused. */
const BLOCKABLE = Object.entries(NEXT_STATUSES)
  .filter(([, next]) => next.includes('TRADER_BLOCKED'))
  .map(([status]) => status);

/**
 * Applies processing's trader decision about a blend batch (ADR 0601, "Trader decisions"),
 * inside the kernel inbox's transaction, so a redelivered event id applies once. A block
 * records TRADER_BLOCKED on every shipment still waiting for that blend, which takes it off
 * the dispatch list; a shipment already blocked is not in that set, so a second batch's block
 * changes nothing. Requests, elevations and allowances have no shipment status: acknowledged,
 * nothing written.
 */
export async function applyTraderStatusChanged(trx: OrdersTrx, envelope: EventEnvelope, context: CommandContext): Promise<void> {
  if (!Value.Check(BatchTraderStatusChangedPayload, envelope.payload)) {
    const first = [...Value.Errors(BatchTraderStatusChangedPayload, envelope.payload)][0];
    throw OrdersError.EVENT_PAYLOAD_INVALID(`trader status payload is invalid${first ? `: ${first.path} ${first.message}` : ''}`);
  }
  const payload = envelope.payload;
  if (payload.to !== 'TRADER_BLOCKED' || !payload.blend_code) return;
  const shipments = await lockShipmentsOfItem(trx, payload.blend_code, BLOCKABLE);
  const by = { now: context.now, caller: { actor: payload.actor ?? envelope.source } };
  const remarks = `batch ${payload.item_code}/${payload.created_ts} of blend ${payload.blend_code} blocked by a trader`;
  const outbox: OutboxEventInput[] = [];
  for (const shipment of shipments) {
    await record(
      trx,
      by,
      {
        requestCode: String(shipment.request_code),
        shipmentCode: shipment.shipment_code,
        status: 'TRADER_BLOCKED' satisfies ShipmentStatus,
        fields: { shipment_vehicle: null, order_remarks: remarks, shipment_remarks: null },
      },
      shipment.status,
      false,
      outbox,
    );
  }
  await writeEvents(trx, outbox, { now: () => context.now });
}
