import type { BackgroundTask, ServiceContext } from '@tributary/platform/service';
import { Collector } from './features/capture/collector.js';
import { FeedClient } from './features/capture/feed-client.js';
import { DeliveryWorker } from './features/delivery/worker.js';
import { Targets } from './features/delivery/targets.js';
import { Maintenance } from './features/maintenance/maintenance.js';
import { maintainPartitions } from './features/maintenance/partitions.js';
import { BatchScheduler } from './features/schedules/scheduler.js';
import type { SyncDatabase } from './db/schema.js';
import { runtimeFor, type SyncRuntime } from './runtime.js';

export interface SyncBackground extends BackgroundTask {
  worker: DeliveryWorker | undefined;
  maintenance: Maintenance | undefined;
  scheduler: BatchScheduler | undefined;
  collectors: Collector[];
}

/**
 * Collectors (one per source with a URL), the delivery worker, batch schedules and
 * maintenance, as SYNC_ROLES says. stop() ends collection first, then lets in-flight
 * deliveries finish and records them.
 */
export async function startSyncBackground(context: ServiceContext<SyncDatabase>): Promise<SyncBackground> {
  const runtime = runtimeFor(context);
  const { settings, db } = runtime;
  const logger = context.logger;
  await maintainPartitions(db, new Date(context.clock.now()), runtime.partitions);

  let worker: DeliveryWorker | undefined;
  if (settings.roles.has('worker')) {
    worker = new DeliveryWorker(
      {
        db,
        clock: context.clock,
        routes: runtime.routes,
        targets: new Targets({
          peers: context.peers,
          credentials: context.credentials,
          scope: context.scope,
          timeoutMs: settings.SYNC_DELIVERY_TIMEOUT_MS,
          breakerOpenMs: settings.SYNC_BREAKER_OPEN_MS,
        }),
        conflicts: runtime.conflictDeps(),
        logger,
        metrics: runtime.metrics,
      },
      {
        workerId: settings.workerId,
        concurrency: settings.SYNC_WORKER_CONCURRENCY,
        targetConcurrency: settings.SYNC_TARGET_CONCURRENCY,
        leaseMs: settings.SYNC_LEASE_MS,
        pollIntervalMs: settings.SYNC_POLL_INTERVAL_MS,
        retryCapMs: settings.SYNC_RETRY_CAP_MS,
      },
    );
    runtime.wakeWorkers = worker.wake;
    worker.start();
  }

  const collectors: Collector[] = [];
  if (settings.roles.has('collector')) {
    for (const source of settings.sources) {
      const baseUrl = context.peers[source];
      if (!baseUrl || source === context.name) continue;
      const collector = new Collector(runtime.captureDeps(), {
        source,
        feed: new FeedClient({ source, baseUrl, credentials: context.credentials, scope: context.scope }),
        batch: settings.SYNC_FEED_BATCH,
        waitMs: settings.SYNC_FEED_WAIT_MS,
        errorBackoffMs: settings.SYNC_FEED_ERROR_BACKOFF_MS,
        logger,
        metrics: runtime.metrics,
      });
      collector.start();
      collectors.push(collector);
    }
  }

  const scheduler = settings.roles.has('scheduler') ? new BatchScheduler(db, context.clock, runtime.routes, logger, () => runtime.wakeWorkers()) : undefined;
  await scheduler?.start();

  const maintenance = settings.roles.has('maintenance') ? maintenanceFor(runtime) : undefined;
  maintenance?.start();

  return {
    worker,
    maintenance,
    scheduler,
    collectors,
    async stop() {
      await Promise.all(collectors.map((collector) => collector.stop()));
      scheduler?.stop();
      await maintenance?.stop();
      await worker?.stop();
      runtime.wakeWorkers = () => undefined;
    },
  };
}

function maintenanceFor(runtime: SyncRuntime): Maintenance {
  const { settings } = runtime;
  return new Maintenance(
    runtime.db,
    runtime.context.clock,
    runtime.context.logger,
    {
      intervalMs: settings.SYNC_MAINTENANCE_INTERVAL_MS,
      metricsWindowSeconds: settings.SYNC_METRICS_WINDOW_SECONDS,
      statusRetentionDays: settings.SYNC_STATUS_RETENTION_DAYS,
      metricsRetentionDays: settings.SYNC_METRICS_RETENTION_DAYS,
      partitions: runtime.partitions,
    },
    () => runtime.wakeWorkers(),
  );
}
