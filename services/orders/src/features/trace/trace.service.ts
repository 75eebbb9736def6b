import type { TraceLookupRequest, TraceLookupResponse } from '@tributary/contracts';
import type { LookupDeps } from '../../deps.js';
import { kg } from '../../units.js';
import { tracedSchedules, tracedShipments } from './trace.repository.js';

const iso = (epochMs: string | null) => (epochMs === null ? null : new Date(Number(epochMs)).toISOString());

/** What orders knows of the shipments and schedules a trace reached; unknown codes are left out. */
export async function lookupForTrace(deps: Pick<LookupDeps, 'db'>, request: TraceLookupRequest): Promise<TraceLookupResponse> {
  const shipments = await tracedShipments(deps.db, request.shipments);
  const schedules = await tracedSchedules(deps.db, request.schedules);
  return {
    shipments: shipments.map((row) => ({
      request_code: row.request_code,
      shipment_code: row.shipment_code,
      order_code: row.order_code,
      product_name: row.product_name,
      quantity_kg: kg(row.quantity),
      status: row.status,
      dispatched_at: iso(row.dispatched_ts),
      shipment_vehicle: row.shipment_vehicle,
      accepted_at: iso(row.accepted_ts),
      shipment_remarks: row.shipment_remarks,
    })),
    schedules: schedules.map((row) => ({
      schedule_code: row.schedule_code,
      schedule_date: row.schedule_date,
      order_code: row.order_code,
      shift: row.shift,
      section: row.section,
      quantity_kg: kg(row.quantity),
      completed: row.completed,
    })),
  };
}
