import type { Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';
import { SHIPPABLE } from '../../domain/materials.js';
import { shipmentAllocations } from '../allocations/allocations.repository.js';
import { ProcessingError } from '../../errors.js';

/**
 * Every SHIPMENT_DISPATCHED the orders service records comes from this service (orders accepts
 * that status only from a trusted service), and this service owns the allocations. So the rule
 * "a dispatched shipment carries bags" is checked here, before the event leaves: otherwise
 * reconciliation would be left with a dispatched shipment and nothing allocated to it. Checked
 * for every element before any is posted, so a refused bulk sends nothing.
 */
export async function requireAllocatedBags(
  db: Kysely<ProcessingDb>,
  shipments: readonly { request_code: number; shipment_code: number }[],
): Promise<void> {
  for (const [index, shipment] of shipments.entries()) {
    const allocations = await shipmentAllocations(db, SHIPPABLE, shipment.request_code, shipment.shipment_code);
    if (allocations.length === 0) {
      throw ProcessingError.SHIPMENT_HAS_NO_BAGS(
        `shipment ${shipment.request_code}/${shipment.shipment_code} has no bags allocated; allocate bags before dispatching it`,
        {
          details: { index, request_code: shipment.request_code, shipment_code: shipment.shipment_code },
        },
      );
    }
  }
}
