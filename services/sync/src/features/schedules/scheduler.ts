import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import type { Clock, Logger } from '@tributary/platform/core';
import type { SyncDatabase } from '../../db/schema.js';
import { DEFAULT_SCHEDULES } from '../configurations/configurations.schemas.js';
import { releaseHeld } from '../queue/index.js';
import type { RouteCache } from '../routing/route-cache.js';
import type { Route } from '../routing/routes.js';

export { DEFAULT_SCHEDULES };

export function scheduleFor(route: Pick<Route, 'frequency' | 'spec'>): string | undefined {
  if (route.frequency === 'real_time') return undefined;
  return route.spec.schedule ?? DEFAULT_SCHEDULES[route.frequency];
}

/**
 * Cron jobs (croner) for configurations that are not real time, read in the plant's zone
 * (SYNC_TIME_ZONE): a daily batch at "0 2 * * *" goes at 02:00 at the plant. Every replica
 * may run them: releasing held deliveries twice releases nothing the second time.
 */
export class BatchScheduler {
  private readonly jobs = new Map<string, { pattern: string; job: Cron }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<SyncDatabase>,
    private readonly clock: Clock,
    private readonly routes: RouteCache,
    private readonly logger: Logger,
    private readonly timeZone: string,
    private readonly onReleased: () => void,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(
      () => void this.refresh().catch((error: unknown) => this.logger.error({ err: error }, 'refreshing batch schedules failed')),
      30_000,
    );
  }

  async refresh(): Promise<void> {
    const wanted = new Map<string, string>();
    for (const route of await this.routes.all()) {
      const pattern = route.isActive ? scheduleFor(route) : undefined;
      if (pattern) wanted.set(route.configId, pattern);
    }
    for (const [configId, entry] of this.jobs) {
      if (wanted.get(configId) !== entry.pattern) {
        entry.job.stop();
        this.jobs.delete(configId);
      }
    }
    for (const [configId, pattern] of wanted) {
      if (this.jobs.has(configId)) continue;
      const job = new Cron(pattern, { timezone: this.timeZone, protect: true }, async () => {
        const released = await releaseHeld(this.db, configId, new Date(this.clock.now()));
        if (released > 0) {
          this.logger.info({ configId, released }, 'batch sync released');
          this.onReleased();
        }
      });
      this.jobs.set(configId, { pattern, job });
    }
  }

  /** When each batch configuration next releases its held deliveries. */
  nextRuns(): Map<string, Date | null> {
    return new Map([...this.jobs].map(([configId, { job }]) => [configId, job.nextRun()]));
  }

  stop(): void {
    clearInterval(this.timer);
    for (const { job } of this.jobs.values()) job.stop();
    this.jobs.clear();
  }
}
