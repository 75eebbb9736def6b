import type { Kysely } from 'kysely';
import { readEventMetadata } from '@tributary/platform/command';
import type { Clock } from '@tributary/platform/core';
import { inTransaction } from '@tributary/platform/db';
import type { NewSyncEvent, NewSyncStatus, SyncDatabase } from '../../db/schema.js';
import { isMissingPartition, maintainPartitions, type PartitionPolicy } from '../maintenance/partitions.js';
import type { RouteCache } from '../routing/route-cache.js';
import { routesFor, type Route } from '../routing/routes.js';
import { enqueue } from '../queue/index.js';
import { notifyInTransaction } from '../delivery/wake.js';
import { advanceCursor, claimEventIds, insertEvents, lockCursor } from './capture.repository.js';
import type { CaptureResult, IncomingEvent } from './capture.types.js';
import { eventKind, operationFor } from './event-kinds.js';
import { severityOf } from '../routing/severity.js';

export interface CaptureDeps {
  db: Kysely<SyncDatabase>;
  clock: Clock;
  routes: RouteCache;
  partitions: PartitionPolicy;
  /** Called after a commit that created deliveries: wakes this process's workers. */
  onDeliveries?: () => void;
  /** PostgreSQL server: NOTIFY the workers of every process in the transaction that queues runnable deliveries. */
  notifyWorkers?: boolean;
  /** Called after a commit with the events it stored (not the duplicates): the real-time channel announces them. */
  onCaptured?: (events: IncomingEvent[]) => void;
}

export interface FeedPosition {
  /** The page's `next`: the cursor moves here in the same transaction as the events. */
  next: string;
}

/**
 * Stores events and the deliveries they route to in one transaction. With a feed position the
 * source's cursor moves in that same transaction, so a crash either keeps both or neither: an
 * event is never lost between "read" and "stored", and re-reading a page after a crash only
 * finds ids already claimed (deduplicated by event id).
 */
export async function captureEvents(
  deps: CaptureDeps,
  source: string,
  events: readonly IncomingEvent[],
  position?: FeedPosition,
  /** Route only to these (a channel's test notification), instead of every matching configuration and channel. */
  only?: Route[],
): Promise<CaptureResult> {
  const routes = only ?? (await deps.routes.all());
  const attempt = () =>
    inTransaction(deps.db, (trx) => captureInTransaction(trx, deps, routes, source, events, position, only !== undefined));
  let result: CaptureResult;
  try {
    result = await attempt();
  } catch (error) {
    if (!isMissingPartition(error)) throw error;
    await maintainPartitions(deps.db, new Date(deps.clock.now()), deps.partitions);
    result = await attempt();
  }
  if (result.deliveries > 0) deps.onDeliveries?.();
  if (result.captured > 0 && deps.onCaptured) {
    const stored = new Set(result.eventIds);
    deps.onCaptured(events.filter((event) => stored.delete(event.id)));
  }
  return result;
}

async function captureInTransaction(
  trx: Parameters<Parameters<typeof inTransaction<SyncDatabase, CaptureResult>>[1]>[0],
  deps: CaptureDeps,
  routes: Route[],
  source: string,
  events: readonly IncomingEvent[],
  position: FeedPosition | undefined,
  toAllGiven: boolean,
): Promise<CaptureResult> {
  const now = new Date(deps.clock.now());
  let candidates = events;
  if (position) {
    const cursor = BigInt(await lockCursor(trx, source, now));
    // Another collector for this source may have stored this page while we waited for the lock.
    candidates = events.filter((event) => event.sequence === undefined || BigInt(event.sequence) > cursor);
    if (BigInt(position.next) <= cursor) return { captured: 0, duplicates: events.length, deliveries: 0, eventIds: [] };
  }
  const fresh = await claimEventIds(
    trx,
    uniqueById(candidates).map((event) => ({ event_id: event.id, event_source: event.source, created_at: now })),
  );
  const captured = uniqueById(candidates).filter((event) => fresh.has(event.id));
  const eventRows: NewSyncEvent[] = [];
  const statusRows: NewSyncStatus[] = [];
  for (const event of captured) {
    const matched = toAllGiven
      ? routes
      : routesFor(
          { source: event.source, name: event.name, aggregateType: event.aggregateType, severity: severityOf(event.name, event.payload) },
          routes,
        );
    const kind = eventKind(event.name);
    eventRows.push({
      event_id: event.id,
      event_type: kind,
      event_source: event.source,
      event_name: event.name,
      doctype: event.aggregateType,
      doc_name: event.aggregateId,
      doc_status: event.docStatus ?? null,
      event_data: JSON.stringify(event.payload ?? null),
      metadata: event.metadata ? JSON.stringify(event.metadata) : null,
      event_timestamp: new Date(event.createdAt),
      created_at: now,
      source_user: event.sourceUser ?? null,
      source_ip: event.sourceIp ?? null,
      source_sequence: event.sequence ?? null,
      source_version: event.sourceVersion ?? null,
      processing_status: matched.length > 0 ? 'processing' : 'skipped',
      target_services: JSON.stringify(matched.map((route) => route.targetSystem)),
      processed_by_services: '[]',
      priority: event.priority ?? 5,
      event_group: event.eventGroup ?? null,
      parent_event_id: event.parentEventId ?? null,
    });
    for (const route of matched) statusRows.push(statusRow(event, route, kind, now));
  }
  await insertEvents(trx, eventRows);
  await enqueue(trx, statusRows);
  const runnable = statusRows.filter((row) => !row.held);
  if (deps.notifyWorkers && runnable.length > 0)
    await notifyInTransaction(
      trx,
      runnable.map((row) => row.target_system),
    );
  if (position) {
    const last = captured.length > 0 ? captured[captured.length - 1]! : undefined;
    await advanceCursor(trx, source, {
      cursor: position.next,
      seen: captured.length,
      lastEventCreatedAt: last ? new Date(last.createdAt) : null,
      now,
    });
  }
  return {
    captured: captured.length,
    duplicates: events.length - captured.length,
    deliveries: statusRows.length,
    eventIds: captured.map((event) => event.id),
  };
}

function statusRow(event: IncomingEvent, route: Route, kind: ReturnType<typeof eventKind>, now: Date): NewSyncStatus {
  const realTime = route.frequency === 'real_time';
  // The delivery carries the event's request id and trace onward; kept with the queue row so
  // a claim needs no read of the (partitioned) event log.
  const metadata = readEventMetadata(event.metadata);
  return {
    event_id: event.id,
    config_id: route.channelId !== undefined ? null : route.configId,
    entity_type: event.aggregateType,
    entity_id: event.aggregateId,
    event_name: event.name,
    source_sequence: event.sequence ?? null,
    source_system: event.source,
    target_system: route.targetSystem,
    operation_type: realTime ? operationFor(kind) : 'bulk_sync',
    sync_status: 'pending',
    ordering_key: route.spec.ordering === 'none' ? null : `${event.source}|${event.aggregateType}|${event.aggregateId}`,
    priority: route.spec.priority ?? event.priority ?? 5,
    // Batch configurations hold their deliveries until the schedule releases them.
    held: !realTime,
    source_version: event.sourceVersion ?? null,
    source_data: JSON.stringify(event.payload ?? null),
    max_retries: route.maxRetries,
    next_retry_at: now,
    backoff_factor: String(route.spec.backoffFactor ?? 2),
    retry_delay_ms: route.retryDelayMs,
    data_size_bytes: Buffer.byteLength(JSON.stringify(event.payload ?? null)),
    event_created_at: new Date(event.createdAt),
    created_at: now,
    updated_at: now,
    created_by: 'sync',
    ...(metadata ? { sync_metadata: JSON.stringify({ event: metadata }) } : {}),
  };
}

function uniqueById(events: readonly IncomingEvent[]): IncomingEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => (seen.has(event.id) ? false : (seen.add(event.id), true)));
}
