import type { SigningCredentials, SigningScope } from '@tributary/platform/auth';
import type { Clock, Logger } from '@tributary/platform/core';
import type { Database, Kysely } from '@tributary/platform/db';
import { Scheduler, withTimings } from '@tributary/platform/scheduler';
import type { ServiceContext } from '@tributary/platform/service';
import { loadSyncSettings, type SyncSettings } from './config.js';
import type { SyncDatabase } from './db/schema.js';
import type { CaptureDeps } from './features/capture/capture.service.js';
import { ConfigurationsRepository } from './features/configurations/configurations.repository.js';
import { BusinessRules } from './features/conflicts/business-rules.js';
import type { ConflictDeps } from './features/conflicts/conflicts.service.js';
import { syncJobs } from './features/maintenance/jobs.js';
import type { PartitionPolicy } from './features/maintenance/partitions.js';
import { SyncMetrics } from './features/metrics/prometheus.js';
import { RouteCache } from './features/routing/route-cache.js';
import { WorkerWake } from './features/delivery/wake.js';
import { queueStats } from './features/overview/queue-stats.service.js';
import { Realtime } from './features/realtime/realtime.js';
import { gatewayTokenCheck } from './features/realtime/socket-auth.js';
import { recordSyncRequest } from './features/requests/requests.service.js';
import type { ChannelRetryPolicy } from './features/notifications/channel-routes.js';
import { ChannelsRepository } from './features/notifications/notifications.repository.js';

/**
 * What one sync instance's HTTP app and background workers share: settings, the configuration
 * cache, metrics, the business-rule registry and the in-process wake-up of the workers. Built
 * once per instance (the kernel's startService hands the same object to buildApp and
 * startBackground); features are handed the parts below, never the whole.
 */
export interface SyncDeps {
  name: string;
  database: Database<SyncDatabase>;
  db: Kysely<SyncDatabase>;
  clock: Clock;
  logger: Logger;
  peers: Record<string, string>;
  credentials: SigningCredentials;
  scope: SigningScope;
  env: Record<string, string | undefined>;
  settings: SyncSettings;
  configurations: ConfigurationsRepository;
  /** Notification channels; their enabled ones are routes next to the configurations. */
  channels: ChannelsRepository;
  channelRetry: ChannelRetryPolicy;
  routes: RouteCache;
  metrics: SyncMetrics;
  rules: BusinessRules;
  partitions: PartitionPolicy;
  /** Work is there: wakes this process's worker, or (PostgreSQL) the workers of other processes. */
  wakeWorkers: () => void;
  /** The background attaches its worker here; LISTEN/NOTIFY across processes on PostgreSQL. */
  wake: WorkerWake;
  capture: CaptureDeps;
  conflicts: ConflictDeps;
  /** The scheduled jobs: their routes on the app, their timers in the background. */
  jobs: Scheduler;
  /** The Socket.IO channel; attached to the HTTP server by buildApp. */
  realtime: Realtime;
  version: string;
}

/** What each feature is handed. */
export type WebhookDeps = Pick<SyncDeps, 'settings' | 'capture' | 'clock'>;
export type EventRouteDeps = Pick<SyncDeps, 'db' | 'clock' | 'wakeWorkers'> & {
  /** The original status answer's queue and connection statistics, added to the delivery list. */
  syncOverview: () => Promise<{ queues: Record<string, object>; websocket: object }>;
};
export type ConflictRouteDeps = Pick<SyncDeps, 'db' | 'conflicts'>;
export type ConfigurationRouteDeps = Pick<SyncDeps, 'db' | 'clock' | 'configurations' | 'routes' | 'rules' | 'peers' | 'wakeWorkers'>;
export type HealthRouteDeps = Pick<SyncDeps, 'db' | 'clock'>;
export type RequestDeps = Pick<SyncDeps, 'capture' | 'clock' | 'settings'>;
export type OverviewDeps = Pick<SyncDeps, 'db' | 'clock' | 'version'> & { socketState: () => { running: boolean; connections: number } };
export type NotificationDeps = Pick<SyncDeps, 'db' | 'clock' | 'channels' | 'channelRetry' | 'routes' | 'capture'>;
export type AlertmanagerDeps = Pick<SyncDeps, 'settings' | 'capture' | 'clock'>;
export type RegisterDeps = Pick<SyncDeps, 'db' | 'clock' | 'configurations' | 'routes' | 'rules' | 'peers' | 'settings'>;

export function buildDeps(context: ServiceContext<SyncDatabase>, rules: BusinessRules = new BusinessRules()): SyncDeps {
  const settings = loadSyncSettings(context.env);
  const db = context.database.db;
  const configurations = new ConfigurationsRepository(db);
  const channelRetry: ChannelRetryPolicy = {
    maxRetries: settings.SYNC_NOTIFY_MAX_RETRIES,
    retryDelayMs: settings.SYNC_NOTIFY_RETRY_DELAY_MS,
  };
  const channels = new ChannelsRepository(db, channelRetry);
  const routes = new RouteCache({ routes: async () => [...(await configurations.routes()), ...(await channels.routes())] });
  const partitions: PartitionPolicy = {
    activeMonths: settings.SYNC_ACTIVE_MONTHS,
    archiveMonths: settings.SYNC_ARCHIVE_MONTHS,
    premakeMonths: settings.SYNC_PREMAKE_MONTHS,
  };
  const wake = new WorkerWake(context.database, db, context.logger);
  const deps: SyncDeps = {
    name: context.name,
    database: context.database,
    db,
    clock: context.clock,
    logger: context.logger,
    peers: context.peers,
    credentials: context.credentials,
    scope: context.scope,
    env: context.env,
    settings,
    configurations,
    channels,
    channelRetry,
    routes,
    metrics: new SyncMetrics(db, () => context.clock.now()),
    rules,
    partitions,
    wakeWorkers: wake.any,
    wake,
    // Capture NOTIFYs other processes in its own transaction; after the commit it wakes only this one's worker.
    capture: { db, clock: context.clock, routes, partitions, notifyWorkers: wake.crossProcess, onDeliveries: wake.localOnly },
    conflicts: { db, clock: context.clock, rules, onRedeliver: () => deps.wakeWorkers() },
    realtime: new Realtime({
      logger: context.logger,
      now: () => context.clock.now(),
      checkToken: gatewayTokenCheck({
        jwksUrl: settings.SYNC_JWKS_URL ?? (context.peers.gateway ? `${context.peers.gateway}/.well-known/jwks.json` : undefined),
        issuer: settings.SYNC_JWT_ISSUER,
        audience: settings.SYNC_JWT_AUDIENCE,
      }),
      redisUrl: settings.REDIS_URL,
      queueStats: () => queueStats(db, new Date(context.clock.now())),
      request: (request) => recordSyncRequest(deps, request),
    }),
    jobs: new Scheduler({
      service: context.name,
      db,
      clock: context.clock,
      logger: context.logger,
      jobs: withTimings(syncJobs({ db, clock: context.clock, partitions, settings }), settings.jobs),
    }),
    version: context.env.npm_package_version ?? '0.1.0',
  };
  deps.capture.onCaptured = (events) => deps.realtime.publish(events);
  return deps;
}
