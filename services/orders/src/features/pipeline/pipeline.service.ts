import type { OrdersPipelineCounts } from '@tributary/contracts';
import type { OrdersDeps } from '../../deps.js';
import { countShipmentsByStatus } from './pipeline.repository.js';

/** The statuses that end each pipeline stage this service knows of. */
const STAGES = { ready: 'ORDER_READY', dispatched: 'SHIPMENT_DISPATCHED', accepted: 'SHIPMENT_ACCEPTED' } as const;

export async function pipelineCounts(deps: Pick<OrdersDeps, 'db'>): Promise<OrdersPipelineCounts> {
  const counts = await countShipmentsByStatus(deps.db, Object.values(STAGES));
  return {
    ready: counts.get(STAGES.ready) ?? 0,
    dispatched: counts.get(STAGES.dispatched) ?? 0,
    accepted: counts.get(STAGES.accepted) ?? 0,
  };
}
