import { readEventMetadata } from '@tributary/platform/command';
import type { Logger } from '@tributary/platform/core';
import { sleep } from '@tributary/platform/resilience';
import type { SyncMetrics } from '../metrics/prometheus.js';
import { readCursor, recordPoll } from './capture.repository.js';
import { captureEvents, type CaptureDeps } from './capture.service.js';
import type { FeedClient, FeedEvent } from './feed-client.js';

export interface CollectorOptions {
  source: string;
  /** A peer's signed feed, or sync's own outbox. */
  feed: Pick<FeedClient, 'read' | 'close'>;
  batch: number;
  waitMs: number;
  errorBackoffMs: number;
  logger: Logger;
  metrics?: SyncMetrics;
}

/**
 * One loop per source: long-poll the outbox after the durable cursor, store the page and move
 * the cursor in one transaction, repeat. Long-polling wakes it as soon as the source commits,
 * without a fixed poll interval; a failure backs off and re-reads the cursor from the database.
 */
export class Collector {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: CaptureDeps,
    private readonly options: CollectorOptions,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.options.feed.close();
  }

  private async loop(): Promise<void> {
    const { source, feed, logger } = this.options;
    const signal = this.abort.signal;
    let cursor: string | undefined;
    let failures = 0;
    let lastPollRecord = 0;
    while (!signal.aborted) {
      try {
        cursor ??= await readCursor(this.deps.db, source);
        const page = await feed.read(cursor, this.options.batch, this.options.waitMs, signal);
        const now = this.deps.clock.now();
        if (page.events.length > 0) {
          const result = await captureEvents(
            this.deps,
            source,
            page.events.map((event) => toIncoming(source, event)),
            { next: page.next },
          );
          this.options.metrics?.captured(source, result.captured, page.events[page.events.length - 1]!.createdAt, now);
          cursor = page.next;
        } else if (now - lastPollRecord > 5000) {
          await recordPoll(this.deps.db, source, new Date(now));
          lastPollRecord = now;
        }
        this.options.metrics?.polled(source, now);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        cursor = undefined;
        // A source that stays down would flood the log: say so on the 1st, 2nd, 4th, 8th… failure.
        if ((failures & (failures - 1)) === 0) logger.warn({ err: error, source, failures }, 'outbox collection failed; backing off');
        await recordPoll(this.deps.db, source, new Date(this.deps.clock.now()), (error as Error).message).catch(() => undefined);
        const delay = Math.min(30_000, this.options.errorBackoffMs * 2 ** Math.min(failures - 1, 5)) * (0.5 + Math.random() / 2);
        await sleep(delay, signal).catch(() => undefined);
      }
    }
  }
}

export function toIncoming(source: string, event: FeedEvent) {
  const payload = event.payload;
  const version =
    typeof payload === 'object' && payload !== null && 'version' in payload ? String((payload as { version: unknown }).version) : null;
  return {
    id: event.id,
    source,
    name: event.type,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    payload,
    metadata: event.metadata,
    createdAt: event.createdAt,
    sequence: event.sequence,
    sourceVersion:
      typeof event.metadata?.version === 'string' || typeof event.metadata?.version === 'number' ? String(event.metadata.version) : version,
    sourceUser: actingUser(event.metadata),
  };
}

/**
 * Who made the change, for the data-change trail: the typed metadata's actor, read by the
 * kernel from every stored shape (`actor` as an object or a string, older `user` with the
 * signing `principal`, or a peer service acting on its own named only by its `principal`).
 */
export function actingUser(metadata: Record<string, unknown> | null | undefined): string | null {
  return readEventMetadata(metadata)?.actor.id ?? null;
}
