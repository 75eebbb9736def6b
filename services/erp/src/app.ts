import { dirname, resolve } from 'node:path';
import { asTables, parseDatabaseUrl, type Database } from '@tributary/platform/db';
import type { Clock, Logger } from '@tributary/platform/core';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import type { SigV4AuthOptions } from '@tributary/platform/auth';
import { FieldCipher, loadMasterKeys, type MasterKeys } from '@tributary/platform/crypto';
import { IDEMPOTENCY_TABLE, registerIdempotency } from '@tributary/platform/idempotency';
import { OutboxNotifier, registerOutboxRoute } from '@tributary/platform/outbox';
import { installAccessControl } from './access.js';
import type { ErpConfig } from './config.js';
import { registerBatchRoutes } from './features/batches/batches.routes.js';
import { registerMasterRoutes } from './features/masters/masters.routes.js';
import { registerPricingRoutes } from './features/pricing/pricing.routes.js';
import { RuleCache } from './features/pricing/rule-cache.js';
import { registerSegmentRoutes } from './features/segments/segments.routes.js';
import type { ErpDeps } from './shared/context.js';
import { registerPrivacy } from './features/privacy/privacy.routes.js';
import type { ErpDatabase } from './db/schema.js';

export interface ErpAppDeps {
  database: Database;
  logger: Logger;
  clock: Clock;
  config: ErpConfig;
  auth?: SigV4AuthOptions;
  /** Master keys of field encryption; read from the configured key file when not given. */
  masterKeys?: MasterKeys;
  /** Milliseconds a replica trusts its idea of the active data key (rotation reaches it within this). */
  activeKeyTtlMs?: number;
}

/**
 * Where the master keys are: the configured key file; else, embedded, the data directory that
 * holds erp's PGlite directory (so `--data-dir` alone keeps keys and data together); else
 * TRIBUTARY_DATA_DIR (default `.tributary`).
 */
export function masterKeySource(config: ErpConfig, database: Pick<Database, 'dialect' | 'displayUrl'>): Record<string, string | undefined> {
  if (config.TRIBUTARY_MASTER_KEY_FILE) return { TRIBUTARY_MASTER_KEY_FILE: config.TRIBUTARY_MASTER_KEY_FILE };
  const { dialect, target } = parseDatabaseUrl(database.displayUrl);
  if (dialect === 'pglite' && target !== 'memory') return { TRIBUTARY_DATA_DIR: dirname(resolve(target)) };
  return { TRIBUTARY_DATA_DIR: config.TRIBUTARY_DATA_DIR };
}

/** Builds the ERP extensions HTTP app; apart from reading the master key file, no I/O happens until a request arrives. */
export async function buildApp(deps: ErpAppDeps): Promise<HttpApp> {
  const notifier = new OutboxNotifier();
  const app = await createHttpApp({
    name: 'erp',
    logger: deps.logger,
    readiness: { database: () => deps.database.ping() },
    ...(deps.auth ? { auth: deps.auth } : {}),
  });
  const masterKeys = deps.masterKeys ?? (await loadMasterKeys(masterKeySource(deps.config, deps.database)));
  const features: ErpDeps = {
    db: asTables<ErpDatabase>(deps.database.db),
    dialect: deps.database.dialect,
    clock: deps.clock,
    config: deps.config,
    eventsCommitted: () => notifier.notify(),
    rules: new RuleCache(),
  };
  const cipher = new FieldCipher({ db: deps.database.db, masterKeys, ...(deps.activeKeyTtlMs === undefined ? {} : { activeKeyTtlMs: deps.activeKeyTtlMs }) });
  app.addHook('onReady', () => cipher.prepare());
  // Before any feature registers a route: each route gets its guard as it is registered.
  installAccessControl(app, deps.config);
  // Replayed answers can carry customers' contact details: their stored copy is sealed too.
  const stored = { table: IDEMPOTENCY_TABLE, column: 'response_body' };
  registerIdempotency(app, {
    db: deps.database.db,
    now: () => deps.clock.now(),
    sealer: { seal: (body) => cipher.encrypt(body, stored), open: (sealed) => cipher.decrypt(sealed, stored) },
  });
  registerOutboxRoute(app, { db: deps.database.db, wake: notifier.wait });
  registerMasterRoutes(app, features, cipher);
  registerSegmentRoutes(app, features);
  registerBatchRoutes(app, features);
  registerPricingRoutes(app, features);
  registerPrivacy(app, deps.database, { PRIVACY_CALLERS: deps.config.PRIVACY_CALLERS });
  return app;
}
