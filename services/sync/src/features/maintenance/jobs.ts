import type { JobWork } from '@tributary/platform/scheduler';
import type { SyncDeps } from '../../deps.js';
import { applyRetention } from './maintenance.js';
import { maintainPartitions } from './partitions.js';

export type SyncJobDeps = Pick<SyncDeps, 'db' | 'clock' | 'partitions' | 'settings'>;

/**
 * sync's hourly upkeep as scheduled jobs (timings: SYNC_JOB_DEFAULTS in config.ts), once per
 * hour across replicas rather than on every replica's timer. Both are safe to repeat: what
 * exists is left, what is gone stays gone.
 */
export function syncJobs(deps: SyncJobDeps): JobWork[] {
  return [
    {
      name: 'partition-maintenance',
      run: async () => {
        const report = await maintainPartitions(deps.db, new Date(deps.clock.now()), deps.partitions);
        return { created: report.created.length, archived: report.archived.length, dropped: report.dropped.length };
      },
    },
    {
      name: 'retention',
      run: () =>
        applyRetention(deps.db, new Date(deps.clock.now()), {
          statusRetentionDays: deps.settings.SYNC_STATUS_RETENTION_DAYS,
          metricsRetentionDays: deps.settings.SYNC_METRICS_RETENTION_DAYS,
          partitions: deps.partitions,
        }),
    },
  ];
}
