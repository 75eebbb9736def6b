import { sql, type Kysely } from 'kysely';
import type { Clock, Logger } from '@tributary/platform/core';
import type { SyncDatabase } from '../../db/schema.js';
import { purge, releaseExpiredLeases } from '../queue/index.js';
import { writeMetricWindow } from '../metrics/windows.js';
import type { PartitionPolicy } from './partitions.js';

export interface MaintenanceOptions {
  intervalMs: number;
  metricsWindowSeconds: number;
}

export interface RetentionPolicy {
  statusRetentionDays: number;
  metricsRetentionDays: number;
  partitions: PartitionPolicy;
}

const DAY = 86_400_000;

/**
 * Housekeeping on a short timer: release expired leases (the crashed-worker path), settle
 * event statuses, write metric windows. Every step is safe to run on N replicas at once.
 * Partitions and retention are scheduled jobs (jobs.ts), run once an hour across replicas.
 */
export class Maintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastWindowEnd = 0;

  constructor(
    private readonly db: Kysely<SyncDatabase>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: MaintenanceOptions,
    private readonly onReleased: () => void = () => undefined,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger.error({ err: error }, 'sync maintenance failed'))
        .finally(() => {
          this.running = undefined;
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async runOnce(): Promise<void> {
    const nowMs = this.clock.now();
    const now = new Date(nowMs);
    const released = await releaseExpiredLeases(this.db, now);
    if (released > 0) {
      this.logger.warn({ released }, 'released expired delivery leases');
      this.onReleased();
    }
    await settleEvents(this.db, now);
    const windowMs = this.options.metricsWindowSeconds * 1000;
    const windowEnd = Math.floor(nowMs / windowMs) * windowMs;
    if (windowEnd > this.lastWindowEnd) {
      await writeMetricWindow(this.db, new Date(windowEnd - windowMs), new Date(windowEnd), now);
      this.lastWindowEnd = windowEnd;
    }
  }
}

/** Events whose every delivery finished become processed (or failed), with the targets that took them. */
export async function settleEvents(db: Kysely<SyncDatabase>, now: Date): Promise<number> {
  const since = new Date(now.getTime() - 7 * DAY);
  const result = await sql`
    with settled as (
      select e.event_id,
        bool_or(s.sync_status = 'failed') as any_failed,
        bool_and(s.sync_status in ('completed', 'skipped', 'failed')) as all_done,
        coalesce(jsonb_agg(s.target_system) filter (where s.sync_status = 'completed'), '[]'::jsonb) as done_by
      from sync_events e join sync_status s on s.event_id = e.event_id
      where e.processing_status = 'processing' and e.created_at > ${since}
      group by e.event_id
      limit 5000
    )
    update sync_events e
    set processing_status = case when settled.any_failed then 'failed' else 'processed' end,
        processed_at = ${now}, processed_by_services = settled.done_by
    from settled
    where e.event_id = settled.event_id and settled.all_done and e.created_at > ${since}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Deletes delivery statuses, metric rows and event ids older than their retention; returns how many of each. */
export async function applyRetention(db: Kysely<SyncDatabase>, now: Date, options: RetentionPolicy) {
  const statusCutoff = new Date(now.getTime() - options.statusRetentionDays * DAY);
  const statuses = await purge(db, statusCutoff);
  const metrics = await db
    .deleteFrom('sync_metrics')
    .where('measurement_timestamp', '<', new Date(now.getTime() - options.metricsRetentionDays * DAY))
    .executeTakeFirst();
  const idCutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - options.partitions.activeMonths, 1));
  const ids = await db.deleteFrom('sync_event_ids').where('created_at', '<', idCutoff).executeTakeFirst();
  return { statuses, metrics: Number(metrics.numDeletedRows), eventIds: Number(ids.numDeletedRows) };
}
