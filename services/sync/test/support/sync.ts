import type { Kysely } from 'kysely';
import { asTables, type Database } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import type { ServiceContext } from '@tributary/platform/service';
import { signedInject, testServiceContext } from '@tributary/platform/testing';
import { buildApp } from '../../src/app.js';
import { startSyncBackground, type SyncBackground } from '../../src/background.js';
import { buildDeps, type SyncDeps } from '../../src/deps.js';
import { migrations } from '../../src/db/migrations/index.js';
import type { SyncDatabase } from '../../src/db/schema.js';

export const WEBHOOK_SECRET = 'erpnext-webhook-secret-for-tests';

/** Fast settings for tests: short leases, polls and retry delays. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SYNC_SOURCES: 'src',
    SYNC_FEED_WAIT_MS: '1000',
    SYNC_LEASE_MS: '1500',
    SYNC_POLL_INTERVAL_MS: '20',
    SYNC_MAINTENANCE_INTERVAL_MS: '200',
    SYNC_BREAKER_OPEN_MS: '100',
    SYNC_FEED_ERROR_BACKOFF_MS: '50',
    SYNC_WEBHOOK_SECRETS: JSON.stringify({ erpnext: WEBHOOK_SECRET, medusa: `${WEBHOOK_SECRET}-medusa` }),
    ...overrides,
  };
}

export function syncContext(database: Database, peers: Record<string, string>, env: Record<string, string>): ServiceContext {
  return testServiceContext('sync', database, { peers, env });
}

export interface SyncUnderTest {
  context: ServiceContext;
  deps: SyncDeps;
  app: HttpApp;
  db: Kysely<SyncDatabase>;
  background: SyncBackground | undefined;
  call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<{ statusCode: number; json(): any }>;
  startBackground(env?: Record<string, string>): Promise<SyncBackground>;
  stop(): Promise<void>;
}

export async function startSync(
  database: Database,
  peers: Record<string, string>,
  env = testEnv(),
  options: { background?: boolean } = {},
): Promise<SyncUnderTest> {
  await migrateToLatest(database, migrations);
  const context = syncContext(database, peers, env);
  // One instance: the app and its background share the caches and the workers' wake-up.
  const deps = buildDeps(context);
  const app = await buildApp(context, deps);
  await app.ready();
  const handle: SyncUnderTest = {
    context,
    deps,
    app,
    db: asTables<SyncDatabase>(database.db),
    background: undefined,
    call: (method, url, body) =>
      signedInject(app, { method, url, ...(body !== undefined ? { body } : {}), identity: { user: 'alice', roles: ['administrator'] } }),
    async startBackground() {
      handle.background = await startSyncBackground(context, deps);
      return handle.background;
    },
    async stop() {
      await handle.background?.stop();
      await app.close();
    },
  };
  if (options.background !== false) await handle.startBackground();
  return handle;
}

/** Polls until `check` passes or the time is up (then the last failure is thrown). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export function routeConfig(name: string, overrides: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) {
  return {
    config_name: name,
    source_system: 'src',
    target_system: 'tgt',
    configuration: { eventTypes: ['*'], target: { kind: 'service', service: 'tgt' }, ...spec },
    max_retries: 50,
    retry_delay_seconds: 0.02,
    ...overrides,
  };
}
