import { Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

/**
 * Debezium's streaming metrics as the model: ms behind source, ms since last event, events
 * seen; plus the queue's depth, delivery outcomes, end-to-end lag and conflicts pending.
 * Counters are per process; the gauges read from the database are the whole fleet's.
 */
export class SyncMetrics {
  readonly registry = new Registry();
  private readonly lastEventAt = new Map<string, number>();
  readonly eventsSeen: Counter<'source'>;
  readonly behindSource: Gauge<'source'>;
  readonly sinceLastEvent: Gauge<'source'>;
  readonly deliveries: Counter<'target' | 'outcome'>;
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
      name: 'sync_ms_behind_source',
      help: 'Capture time minus the source commit time of the last captured event',
      labelNames: ['source'],
      registers,
    });
    const lastEventAt = this.lastEventAt;
    this.sinceLastEvent = new Gauge({
      name: 'sync_ms_since_last_event',
      help: 'Milliseconds since the last event was captured from a source',
      labelNames: ['source'],
      registers,
      collect() {
        for (const [source, at] of lastEventAt) this.set({ source }, Math.max(0, now() - at));
      },
    });
    this.deliveries = new Counter({
      name: 'sync_deliveries_total',
      help: 'Delivery attempts by outcome',
      labelNames: ['target', 'outcome'],
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
        const rows = await db
          .selectFrom('sync_status')
          .select(['target_system', 'sync_status', (eb) => eb.fn.countAll<string>().as('n')])
          .where('sync_status', 'in', ['pending', 'in_progress', 'failed', 'conflict'])
          .groupBy(['target_system', 'sync_status'])
          .execute();
        for (const row of rows) this.set({ target: row.target_system, status: row.sync_status }, Number(row.n));
      },
    });
    const conflictsPending = new Gauge({
      name: 'sync_conflicts_pending',
      help: 'Conflicts waiting for resolution (pending or escalated)',
      registers,
      async collect() {
        const row = await db
          .selectFrom('sync_conflicts')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('resolution_status', 'in', ['pending', 'escalated'])
          .executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      },
    });
    this.all.push(
      this.eventsSeen,
      this.behindSource,
      this.sinceLastEvent,
      this.deliveries,
      this.lag,
      this.attemptDuration,
      queueDepth,
      conflictsPending,
    );
  }

  captured(source: string, count: number, lastCreatedAt: number, now: number): void {
    this.eventsSeen.inc({ source }, count);
    this.behindSource.set({ source }, Math.max(0, now - lastCreatedAt));
    this.lastEventAt.set(source, now);
  }

  polled(source: string, _now: number): void {
    if (!this.lastEventAt.has(source)) this.lastEventAt.set(source, _now);
  }

  delivered(target: string, outcome: string, durationMs: number, lagMs?: number): void {
    this.deliveries.inc({ target, outcome });
    this.attemptDuration.observe({ target }, durationMs / 1000);
    if (lagMs !== undefined) this.lag.observe({ target }, Math.max(0, lagMs) / 1000);
  }

  /** Makes these series part of an app's /metrics. */
  attachTo(registry: Registry): void {
    for (const metric of this.all) registry.registerMetric(metric);
  }
}
