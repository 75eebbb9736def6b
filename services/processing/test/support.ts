import { type Clock } from '@tributary/platform/core';
import type { HttpApp } from '@tributary/platform/http';
import { sql } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { expect } from 'vitest';
import type { ServiceContext } from '@tributary/platform/service';
import { signedInject, testKeyring, type TestDatabase, type TestDatabaseTarget, testServiceContext } from '@tributary/platform/testing';
import { buildApp } from '../src/app.js';
import { migrations } from '../src/db/migrations/index.js';
import type { ProcessingDb } from '../src/db/schema.js';

export interface Harness {
  handle: TestDatabase;
  app: HttpApp;
  context: ServiceContext;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    roles?: string[],
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; text: string; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startHarness(
  target: TestDatabaseTarget,
  options: { clock?: Clock; peers?: Record<string, string> } = {},
): Promise<Harness> {
  const handle = await target.create();
  await migrateToLatest(handle.database, migrations);
  const keyring = testKeyring();
  const context = testServiceContext<ProcessingDb>('processing', handle.database, { peers: options.peers, clock: options.clock, keyring });
  const app = await buildApp(context);
  await app.ready();
  return {
    handle,
    app,
    context,
    async call(method, url, body, roles = ['SEEDUWA-OFFICER'], headers) {
      const response = await signedInject(app, {
        method,
        url,
        ...(body === undefined ? {} : { body }),
        identity: { user: 'tester', roles },
        ...(headers ? { headers } : {}),
      });
      let parsed: unknown;
      try {
        parsed = response.json();
      } catch {
        parsed = undefined;
      }
      return { status: response.statusCode, body: parsed, text: response.body, headers: response.headers };
    },
    async close() {
      await app.close();
      await handle.destroy();
    },
  };
}

/** Row counts of every table a write could touch: "nothing written" is these staying equal. */
export async function tableCounts(harness: Harness): Promise<Record<string, number>> {
  const db = harness.handle.database.db;
  tables ??= (
    await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'
        and table_name not like 'tributary_migration%' and table_name <> 'idempotency_key' order by table_name`.execute(db)
  ).rows.map((row) => row.table_name);
  // One round trip for all tables: this runs twice per refused request in the suites.
  const { rows } = await sql<{ name: string; n: number }>`${sql.join(
    tables.map((table) => sql`select ${table}::text as name, count(*)::int as n from ${sql.table(table)}`),
    sql` union all `,
  )}`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.name, row.n]));
}
let tables: string[] | undefined;

type Call = Awaited<ReturnType<Harness['call']>>;

/** The request is refused with this status and code, and no table (outbox included) changed. */
export async function expectRefused(harness: Harness, status: number, code: string, send: () => Promise<Call>): Promise<Call> {
  const before = await tableCounts(harness);
  const response = await send();
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(await tableCounts(harness)).toEqual(before);
  return response;
}

export const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MISSING_BARCODE = '00000000-0000-4000-8000-000000000000';
