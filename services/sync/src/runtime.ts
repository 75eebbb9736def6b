import { asTables } from '@tributary/platform/db';
import type { Kysely } from 'kysely';
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
 * What the HTTP app and the background workers of one service instance share: settings,
 * configuration cache, metrics, the business-rule registry and the in-process wake-up.
 * Built once per ServiceContext (both entry points receive the same one).
 */
export interface SyncRuntime {
  context: ServiceContext;
  db: Kysely<SyncDatabase>;
  settings: SyncSettings;
  configurations: ConfigurationsRepository;
  routes: RouteCache;
  metrics: SyncMetrics;
  rules: BusinessRules;
  partitions: PartitionPolicy;
  /** Wakes local workers; set by the background when it runs. */
  wakeWorkers: () => void;
  captureDeps(): CaptureDeps;
  conflictDeps(): ConflictDeps;
}

const runtimes = new WeakMap<ServiceContext, SyncRuntime>();

export function runtimeFor(context: ServiceContext, rules?: BusinessRules): SyncRuntime {
  const existing = runtimes.get(context);
  if (existing) return existing;
  const settings = loadSyncSettings(context.env);
  const db = asTables<SyncDatabase>(context.database.db);
  const configurations = new ConfigurationsRepository(db);
  const runtime: SyncRuntime = {
    context,
    db,
    settings,
    configurations,
    routes: new RouteCache(configurations),
    metrics: new SyncMetrics(db, () => context.clock.now()),
    rules: rules ?? new BusinessRules(),
    partitions: { activeMonths: settings.SYNC_ACTIVE_MONTHS, archiveMonths: settings.SYNC_ARCHIVE_MONTHS, premakeMonths: settings.SYNC_PREMAKE_MONTHS },
    wakeWorkers: () => undefined,
    captureDeps() {
      return { db, clock: context.clock, routes: runtime.routes, partitions: runtime.partitions, onDeliveries: () => runtime.wakeWorkers() };
    },
    conflictDeps() {
      return { db, clock: context.clock, rules: runtime.rules, onRedeliver: () => runtime.wakeWorkers() };
    },
  };
  runtimes.set(context, runtime);
  return runtime;
}
