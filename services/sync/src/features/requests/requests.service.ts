import { randomUUID } from 'node:crypto';
import type { RequestDeps } from '../../deps.js';
import { captureEvents } from '../capture/capture.service.js';
import type { EntityKind } from '../overview/entity-kind.js';

/** The source name sync's own requests are captured under; configurations route them like any event. */
export const REQUEST_SOURCE = 'sync';

export interface SyncRequest {
  kind: EntityKind;
  /** Event name after the kind: `sync_requested`, `low_stock_sync_requested`. */
  action: string;
  /** What the caller asked for (source, warehouse, …): the event's payload. */
  detail: Record<string, unknown>;
  actor: string;
  /** 1 is the highest, as in sync_events. */
  priority?: number;
}

export interface RecordedRequest {
  id: string;
  name: string;
  deliveries: number;
}

/**
 * A sync request is an event of the sync source, captured through the same path as every other
 * event: stored, routed by the active configurations to whoever performs the sync (an ERPNext
 * or CRM webhook, a Tributary service), delivered and retried by the workers, readable at
 * `GET /api/sync/status/:id`, and announced on the real-time channel. Sync itself holds no copy
 * of the sources' data, so it never "pulls everything" on its own.
 */
export async function recordSyncRequest(deps: RequestDeps, request: SyncRequest): Promise<RecordedRequest> {
  const id = randomUUID();
  const name = `${request.kind}.${request.action}`;
  const result = await captureEvents(deps.capture, REQUEST_SOURCE, [
    {
      id,
      source: REQUEST_SOURCE,
      name,
      aggregateType: request.kind,
      // Each request is its own aggregate: one that waits must not hold back the next.
      aggregateId: id,
      payload: { ...request.detail, requestedBy: request.actor },
      createdAt: deps.clock.now(),
      sourceUser: request.actor,
      priority: request.priority ?? 5,
    },
  ]);
  return { id, name, deliveries: result.deliveries };
}
