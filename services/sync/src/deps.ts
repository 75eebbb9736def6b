import type { SigningCredentials, SigningScope } from '@tributary/platform/auth';
import type { Clock, Logger } from '@tributary/platform/core';
import type { Database, Kysely } from '@tributary/platform/db';
import type { ServiceContext } from '@tributary/platform/service';
import { loadSyncSettings, type SyncSettings } from './config.js';
import type { SyncDatabase } from './db/schema.js';
import type { CaptureDeps } from './features/capture/capture.service.js';
import { ConfigurationsRepository } from './features/configurations/configurations.repository.js';
import { BusinessRules } from './features/conflicts/business-rules.js';
import type { ConflictDeps } from './features/conflicts/conflicts.service.js';
import type { PartitionPolicy } from './features/maintenance/partitions.js';
import { SyncMetrics } from './features/metrics/prometheus.js';
import { RouteCache } from './features/routing/route-cache.js';

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
  routes: RouteCache;
  metrics: SyncMetrics;
  rules: BusinessRules;
  partitions: PartitionPolicy;
  /** Wakes local workers; the background sets it while it runs. */
  wakeWorkers: () => void;
  capture: CaptureDeps;
  conflicts: ConflictDeps;
}

/** What each feature is handed. */
export type WebhookDeps = Pick<SyncDeps, 'settings' | 'capture' | 'clock'>;
export type EventRouteDeps = Pick<SyncDeps, 'db' | 'clock' | 'wakeWorkers'>;
export type ConflictRouteDeps = Pick<SyncDeps, 'db' | 'conflicts'>;
export type ConfigurationRouteDeps = Pick<SyncDeps, 'db' | 'clock' | 'configurations' | 'routes' | 'rules' | 'peers' | 'wakeWorkers'>;
export type HealthRouteDeps = Pick<SyncDeps, 'db' | 'clock'>;

export function buildDeps(context: ServiceContext<SyncDatabase>, rules: BusinessRules = new BusinessRules()): SyncDeps {
  const settings = loadSyncSettings(context.env);
  const db = context.database.db;
  const configurations = new ConfigurationsRepository(db);
  const routes = new RouteCache(configurations);
  const partitions: PartitionPolicy = {
    activeMonths: settings.SYNC_ACTIVE_MONTHS,
    archiveMonths: settings.SYNC_ARCHIVE_MONTHS,
    premakeMonths: settings.SYNC_PREMAKE_MONTHS,
  };
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
    routes,
    metrics: new SyncMetrics(db, () => context.clock.now()),
    rules,
    partitions,
    wakeWorkers: () => undefined,
    // Late-bound: the background replaces wakeWorkers after these are built.
    capture: { db, clock: context.clock, routes, partitions, onDeliveries: () => deps.wakeWorkers() },
    conflicts: { db, clock: context.clock, rules, onRedeliver: () => deps.wakeWorkers() },
  };
  return deps;
}
