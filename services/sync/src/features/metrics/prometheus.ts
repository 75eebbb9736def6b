import { Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';
import { countUnfinishedDeliveries, summariseConflicts, type ConflictSummary } from './metrics.repository.js';

/** Delivery outcomes that are failures: the target refused or could not be reached. */
const FAILED_OUTCOMES = new Set(['retryable', 'permanent']);

/**
 * Debezium's streaming metrics as the model (behind source, since last event, events seen), in
 * seconds rather than Debezium's milliseconds; plus the queue's depth, delivery outcomes and
 * failures, end-to-end lag and conflicts. Counters are per process, except
 * `sync_conflicts_resolved_total`, which like the gauges read from the database is the whole
 * fleet's (every replica reports the same value: aggregate it with max, not sum).
 */
export class SyncMetrics {
  readonly registry = new Registry();
  private readonly lastEventAt = new Map<string, number>();
  readonly eventsSeen: Counter<'source'>;
  readonly behindSource: Gauge<'source'>;
  readonly sinceLastEvent: Gauge<'source'>;
  readonly deliveries: Counter<'target' | 'outcome'>;
  readonly failures: Counter<'target' | 'kind'>;
  readonly lag: Histogram<'target'>;
  readonly attemptDuration: Histogram<'target'>;
  private readonly all: Metric[] = [];

  constructor(db: Kysely<SyncDatabase>, now: () => number = Date.now) {
    const registers = [this.registry];
    this.eventsSeen = new Counter({
      name: 'sync_events_captured_total',
      help: 'Events captured from sources',
      labelNames: ['source'],
      registers,
    });
    this.behindSource = new Gauge({
      name: 'sync_behind_source_seconds',
      help: 'Seconds between the source commit and the capture of the last captured event',
      labelNames: ['source'],
      registers,
    });
    const lastEventAt = this.lastEventAt;
    this.sinceLastEvent = new Gauge({
      name: 'sync_since_last_event_seconds',
      help: 'Seconds since the last event was captured from a source',
      labelNames: ['source'],
      registers,
      collect() {
        for (const [source, at] of lastEventAt) this.set({ source }, Math.max(0, now() - at) / 1000);
      },
    });
    this.deliveries = new Counter({
      name: 'sync_deliveries_total',
      help: 'Delivery attempts by outcome',
      labelNames: ['target', 'outcome'],
      registers,
    });
    this.failures = new Counter({
      name: 'sync_delivery_failures_total',
      help: 'Delivery attempts that failed: retryable (will be tried again) or permanent (refused for good)',
      labelNames: ['target', 'kind'],
      registers,
    });
    this.lag = new Histogram({
      name: 'sync_end_to_end_lag_seconds',
      help: 'Source commit to target acknowledgement',
      labelNames: ['target'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'sync_delivery_duration_seconds',
      help: 'One delivery request to a target',
      labelNames: ['target'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 10],
      registers,
    });
    const queueDepth = new Gauge({
      name: 'sync_queue_depth',
      help: 'Deliveries not finished, by target and status',
      labelNames: ['target', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const row of await countUnfinishedDeliveries(db)) this.set({ target: row.target, status: row.status }, row.count);
      },
    });
    // A scrape calls every collect before awaiting any, so the three conflict series share one
    // query: the first collect starts it, the others join it, and it is dropped once answered.
    let summary: Promise<ConflictSummary> | undefined;
    const conflicts = (): Promise<ConflictSummary> => {
      summary ??= summariseConflicts(db).finally(() => {
        summary = undefined;
      });
      return summary;
    };
    const conflictsPending = new Gauge({
      name: 'sync_conflicts_pending',
      help: 'Conflicts waiting for resolution (pending or escalated)',
      registers,
      async collect() {
        this.set((await conflicts()).open);
      },
    });
    const oldestConflict = new Gauge({
      name: 'sync_conflict_oldest_pending_age_seconds',
      help: 'Seconds since the oldest conflict still pending or escalated was detected; 0 when none is',
      registers,
      async collect() {
        const detected = (await conflicts()).oldestOpenDetectedAt;
        this.set(detected === null ? 0 : Math.max(0, (now() - detected.getTime()) / 1000));
      },
    });
    const conflictsResolved = new Counter({
      name: 'sync_conflicts_resolved_total',
      help: 'Conflicts settled, by resolver: system (by rule) or person (resolved or ignored by someone)',
      labelNames: ['resolver'],
      registers,
      async collect() {
        const { resolvedBySystem, resolvedByPerson } = await conflicts();
        this.reset();
        this.inc({ resolver: 'system' }, resolvedBySystem);
        this.inc({ resolver: 'person' }, resolvedByPerson);
      },
    });
    this.all.push(
      this.eventsSeen,
      this.behindSource,
      this.sinceLastEvent,
      this.deliveries,
      this.lag,
      this.attemptDuration,
      this.failures,
      queueDepth,
      conflictsPending,
      oldestConflict,
      conflictsResolved,
    );
  }

  captured(source: string, count: number, lastCreatedAt: number, now: number): void {
    this.eventsSeen.inc({ source }, count);
    this.behindSource.set({ source }, Math.max(0, now - lastCreatedAt) / 1000);
    this.lastEventAt.set(source, now);
  }

  polled(source: string, _now: number): void {
    if (!this.lastEventAt.has(source)) this.lastEventAt.set(source, _now);
  }

  delivered(target: string, outcome: string, durationMs: number, lagMs?: number): void {
    this.deliveries.inc({ target, outcome });
    if (FAILED_OUTCOMES.has(outcome)) this.failures.inc({ target, kind: outcome });
    this.attemptDuration.observe({ target }, durationMs / 1000);
    if (lagMs !== undefined) this.lag.observe({ target }, Math.max(0, lagMs) / 1000);
  }

  /** Makes these series part of an app's /metrics. */
  attachTo(registry: Registry): void {
    for (const metric of this.all) registry.registerMetric(metric);
  }
}
