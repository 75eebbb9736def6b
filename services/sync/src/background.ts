import type { Listening } from '@tributary/platform/db';
import type { BackgroundTask, ServiceContext } from '@tributary/platform/service';
import { Collector } from './features/capture/collector.js';
import { FeedClient } from './features/capture/feed-client.js';
import { LocalFeed } from './features/capture/local-feed.js';
import { DeliveryWorker } from './features/delivery/worker.js';
import { Targets } from './features/delivery/targets.js';
import { ChannelDelivery } from './features/notifications/channel-delivery.js';
import { Mailer } from './features/notifications/mailer.js';
import { Maintenance } from './features/maintenance/maintenance.js';
import { maintainPartitions } from './features/maintenance/partitions.js';
import { BatchScheduler } from './features/schedules/scheduler.js';
import type { SyncDatabase } from './db/schema.js';
import { buildDeps, type SyncDeps } from './deps.js';

export interface SyncBackground extends BackgroundTask {
  worker: DeliveryWorker | undefined;
  maintenance: Maintenance | undefined;
  scheduler: BatchScheduler | undefined;
  collectors: Collector[];
}

/**
 * Collectors (one per source with a URL), the delivery worker, batch schedules,
 * maintenance and the scheduled jobs, as SYNC_ROLES says. stop() ends collection first, then lets in-flight
 * deliveries finish and records them.
 */
export async function startSyncBackground(
  context: ServiceContext<SyncDatabase>,
  deps: SyncDeps = buildDeps(context),
): Promise<SyncBackground> {
  const { settings, db, logger } = deps;
  await maintainPartitions(db, new Date(context.clock.now()), deps.partitions);

  let worker: DeliveryWorker | undefined;
  let listening: Listening | undefined;
  if (settings.roles.has('worker')) {
    worker = new DeliveryWorker(
      {
        db,
        clock: context.clock,
        routes: deps.routes,
        targets: new Targets({
          peers: context.peers,
          credentials: context.credentials,
          scope: context.scope,
          timeoutMs: settings.SYNC_DELIVERY_TIMEOUT_MS,
          breakerOpenMs: settings.SYNC_BREAKER_OPEN_MS,
          channels: new ChannelDelivery({
            channels: deps.channels,
            mailer: settings.SMTP_URL
              ? new Mailer({ url: settings.SMTP_URL, from: settings.SMTP_FROM, timeoutMs: settings.SYNC_DELIVERY_TIMEOUT_MS })
              : undefined,
            timeZone: settings.plantTimeZone,
          }),
          now: () => context.clock.now(),
        }),
        conflicts: deps.conflicts,
        logger,
        metrics: deps.metrics,
        onOutcome: (notice) => deps.realtime.delivery(notice),
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
    listening = await deps.wake.attach(worker.wakeFor);
    worker.start();
  }

  const collectors: Collector[] = [];
  if (settings.roles.has('collector')) {
    const collect = (source: string, feed: Pick<FeedClient, 'read' | 'close'>) => {
      const collector = new Collector(deps.capture, {
        source,
        feed,
        batch: settings.SYNC_FEED_BATCH,
        waitMs: settings.SYNC_FEED_WAIT_MS,
        errorBackoffMs: settings.SYNC_FEED_ERROR_BACKOFF_MS,
        logger,
        metrics: deps.metrics,
      });
      collector.start();
      collectors.push(collector);
    };
    for (const source of settings.sources) {
      const baseUrl = context.peers[source];
      if (!baseUrl || source === context.name) continue;
      collect(source, new FeedClient({ source, baseUrl, credentials: context.credentials, scope: context.scope }));
    }
    // Sync's own outbox (its jobs' outcomes) is read from its database, not over HTTP.
    collect(context.name, new LocalFeed(db));
  }

  const scheduler = settings.roles.has('scheduler')
    ? new BatchScheduler(db, context.clock, deps.routes, logger, settings.timeZone, () => deps.wakeWorkers())
    : undefined;
  await scheduler?.start();

  const maintenance = settings.roles.has('maintenance') ? maintenanceFor(deps) : undefined;
  maintenance?.start();
  // The jobs run once per period across replicas whichever of them runs them (ADR 0031).
  if (settings.roles.has('maintenance')) await deps.jobs.start();

  return {
    worker,
    maintenance,
    scheduler,
    collectors,
    async stop() {
      await Promise.all(collectors.map((collector) => collector.stop()));
      scheduler?.stop();
      await Promise.all([maintenance?.stop(), settings.roles.has('maintenance') ? deps.jobs.stop() : undefined]);
      await listening?.close();
      deps.wake.detach();
      await worker?.stop();
    },
  };
}

function maintenanceFor(deps: SyncDeps): Maintenance {
  const { settings } = deps;
  return new Maintenance(
    deps.db,
    deps.clock,
    deps.logger,
    { intervalMs: settings.SYNC_MAINTENANCE_INTERVAL_MS, metricsWindowSeconds: settings.SYNC_METRICS_WINDOW_SECONDS },
    () => deps.wakeWorkers(),
  );
}
