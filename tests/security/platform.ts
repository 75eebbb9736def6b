import { sql } from 'kysely';
import type { Logger } from '@tributary/platform/core';
import type { Database } from '@tributary/platform/db';
import { startService, type RunningService, type ServiceDefinition } from '@tributary/platform/service';
import { freePort, TEST_SCOPE, type TestDatabase, testDatabases, testKeyring, testServiceContext } from '@tributary/platform/testing';
import { service as erp } from '@tributary/erp/service';
import { service as gateway } from '@tributary/gateway/service';
import { service as orders } from '@tributary/orders/service';
import { service as processing } from '@tributary/processing/service';
import { service as sync } from '@tributary/sync/service';

/** The order `tributary up` starts them in: backends, sync, then the gateway that fronts them. */
const DEFINITIONS: ServiceDefinition[] = [orders, processing, erp, sync, gateway];
export const SERVICE_NAMES = DEFINITIONS.map((definition) => definition.name);

export const keyring = testKeyring([...SERVICE_NAMES, 'cli', 'test']);
export const scope = TEST_SCOPE;

/** Settings that keep a test platform quick and its rows down to what the requests themselves do. */
export const PLATFORM_TEST_ENV = {
  // Cheap hashes: the suites log in a handful of users, the hashing cost is not under test.
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
  // Active health checks write rows on their own schedule; the row checks must see only requests.
  HEALTH_CHECKS: 'false',
  AUDIT_FLUSH_MS: '100',
  // The sync collector long-polls each outbox; short polls let it settle before a snapshot.
  SYNC_FEED_WAIT_MS: '200',
};

/**
 * Scheduled jobs write runs, outbox rows and captured events on the clock (sync's retention at
 * :20 plant time), not because of a request: suites that compare every row before and after
 * turn them all off.
 */
export const NO_SCHEDULED_JOBS = {
  JOB_EXPIRY_SCAN_SCHEDULE: 'off',
  JOB_SEGMENT_REVIEW_SCHEDULE: 'off',
  JOB_STOCK_OPTIMISATION_SCHEDULE: 'off',
  JOB_PARTITION_MAINTENANCE_SCHEDULE: 'off',
  JOB_MTP_RECONCILIATION_SCHEDULE: 'off',
  JOB_RETENTION_SCHEDULE: 'off',
};

export interface FuzzNode {
  name: string;
  url: string;
  service: RunningService;
  database: Database;
}

export interface FuzzPlatform {
  nodes: Map<string, FuzzNode>;
  node(name: string): FuzzNode;
  stop(): Promise<void>;
}

/**
 * Every service as `tributary up` runs them — one process, the kernel's startService, demo
 * data seeded, workers started once all listen — but each on an in-memory PGlite database
 * and free ports, so the suite leaves nothing behind and never collides with `npm start`.
 */
export async function startPlatform(
  env: Record<string, string>,
  options: { logger?: (service: string) => Logger } = {},
): Promise<FuzzPlatform> {
  const ports = await Promise.all(DEFINITIONS.map(() => freePort()));
  const peers = Object.fromEntries(DEFINITIONS.map((definition, index) => [definition.name, `http://127.0.0.1:${ports[index]}`]));
  const target = testDatabases({ dialects: ['pglite'] })[0]!;
  const handles: TestDatabase[] = await Promise.all(DEFINITIONS.map(() => target.create()));
  const started: RunningService[] = [];
  try {
    for (const [index, definition] of DEFINITIONS.entries()) {
      const database = handles[index]!.database;
      started.push(
        await startService(
          definition,
          testServiceContext(definition.name, database, {
            peers,
            env,
            keyring,
            ...(options.logger ? { logger: options.logger(definition.name) } : {}),
          }),
          { host: '127.0.0.1', port: ports[index]!, seed: true, deferBackground: true },
        ),
      );
    }
    await Promise.all(started.map((service) => service.startBackground()));
  } catch (error) {
    await Promise.allSettled([...started].reverse().map((service) => service.stop()));
    await Promise.allSettled(handles.map((handle) => handle.destroy()));
    throw error;
  }
  const nodes = new Map<string, FuzzNode>(
    started.map((service, index) => [
      service.name,
      { name: service.name, url: peers[service.name]!, service, database: handles[index]!.database },
    ]),
  );
  return {
    nodes,
    node(name) {
      const found = nodes.get(name);
      if (!found) throw new Error(`no service ${name}`);
      return found;
    },
    async stop() {
      for (const service of [...started].reverse()) await service.stop();
    },
  };
}

/** The demo data's users all have this password. */
const DEMO_PASSWORD = 'tributary-demo';

/** A demo user's access token from the gateway's login. */
export async function login(platform: FuzzPlatform, username: string): Promise<string> {
  const response = await fetch(`${platform.node('gateway').url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${text}`);
  return (JSON.parse(text) as { accessToken: string }).accessToken;
}

/** Per table: every row as text, to prove refused requests changed nothing (and show what did). */
export type Snapshot = Record<string, string[]>;

/**
 * Columns that move with the clock, not with requests: the sync collector stamps every poll and
 * every retry of a failing source. Leaving them out keeps the check about data.
 */
const CLOCK_COLUMNS = ['last_polled_at', 'last_error_at'];

export async function snapshot(database: Database, exclude: (table: string) => boolean): Promise<Snapshot> {
  const tables = await sql<{ name: string }>`
    select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
    order by 1`.execute(database.db);
  const out: Snapshot = {};
  for (const { name } of tables.rows) {
    if (exclude(name)) continue;
    const drop = sql.join(
      CLOCK_COLUMNS.map((column) => sql`- ${column}`),
      sql` `,
    );
    const result = await sql<{ row: string }>`select (to_jsonb(t) ${drop})::text as row from ${sql.table(name)} t order by 1`.execute(
      database.db,
    );
    out[name] = result.rows.map((row) => row.row);
  }
  return out;
}

/** One line per changed table: rows that appeared or went away, and for rows kept (same `id`), the columns that moved. */
export function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const name of [...names].sort()) {
    const a = before[name] ?? [];
    const b = after[name] ?? [];
    const gone = new Set(a);
    const added = b.filter((row) => !gone.delete(row));
    if (added.length === 0 && gone.size === 0) continue;
    const removed = [...gone].map((row) => JSON.parse(row) as Record<string, unknown>);
    const notes: string[] = [];
    for (const row of added.map((text) => JSON.parse(text) as Record<string, unknown>)) {
      const key = identityOf(row);
      const index = removed.findIndex((old) => identityOf(old) === key);
      if (index < 0) {
        notes.push(`added ${clip(JSON.stringify(row))}`);
        continue;
      }
      const [old] = removed.splice(index, 1);
      const columns = Object.keys(row).filter((column) => JSON.stringify(row[column]) !== JSON.stringify(old![column]));
      notes.push(
        `${key}: ${columns.map((column) => `${column} ${clip(JSON.stringify(old![column]), 60)} → ${clip(JSON.stringify(row[column]), 60)}`).join(', ')}`,
      );
    }
    for (const row of removed) notes.push(`removed ${clip(JSON.stringify(row))}`);
    changed.push(
      `${name}: ${a.length} → ${b.length} rows; ${notes.slice(0, 3).join('; ')}${notes.length > 3 ? `; … ${notes.length - 3} more` : ''}`,
    );
  }
  return changed;
}

function identityOf(row: Record<string, unknown>): string {
  const key = ['id', 'event_id', 'name', 'key'].find((column) => row[column] !== undefined) ?? Object.keys(row)[0];
  return key === undefined ? '' : `${key}=${JSON.stringify(row[key])}`;
}

function clip(text: string, max = 240): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
