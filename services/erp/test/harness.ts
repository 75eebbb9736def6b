import { randomBytes } from 'node:crypto';
import { ManualClock, type Clock } from '@tributary/platform/core';
import { asSchema, type AnyDatabase } from '@tributary/platform/db';
import type { MasterKeys } from '@tributary/platform/crypto';
import type { HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import type { ServiceContext } from '@tributary/platform/service';
import { testServiceContext, signedInject, testCredentials, type TestDatabase, type TestDatabaseTarget } from '@tributary/platform/testing';
import { buildApp } from '../src/app.js';
import type { ErpDatabase } from '../src/db/schema.js';
import { migrations } from '../src/db/migrations/index.js';

/** 2026-03-10 12:00 in Asia/Kolkata (UTC+05:30), a Tuesday. */
export const NOON_IST = Date.parse('2026-03-10T06:30:00Z');

export interface Harness {
  app: HttpApp;
  handle: TestDatabase;
  clock: ManualClock;
  masterKeys: MasterKeys;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ statusCode: number; json(): any; body: string }>;
  /** A peer service signing as itself (no user). */
  asPeer(
    principal: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<{ statusCode: number; json(): any; body: string }>;
  close(): Promise<void>;
}

/** The context a process would hand erp, with the test keyring and the plant in Asia/Kolkata. */
export function erpContext(database: AnyDatabase, clock: Clock, env: Record<string, string> = {}): ServiceContext<ErpDatabase> {
  return testServiceContext('erp', asSchema<ErpDatabase>(database), { clock, env: { PLANT_TIME_ZONE: 'Asia/Kolkata', ...env } });
}

/** A fresh master key per harness (tests never touch a key file). */
export function testMasterKeys(): MasterKeys {
  return { active: 'mk-test', keys: new Map([['mk-test', randomBytes(32)]]) };
}

export async function startHarness(
  target: TestDatabaseTarget,
  env: Record<string, string> = {},
  options: { activeKeyTtlMs?: number; beforeLatest?: (handle: TestDatabase) => Promise<void> } = {},
): Promise<Harness> {
  const handle = await target.create();
  await options.beforeLatest?.(handle);
  await migrateToLatest(handle.database, migrations);
  const clock = new ManualClock(NOON_IST);
  const masterKeys = testMasterKeys();
  const { beforeLatest: _beforeLatest, ...appOptions } = options;
  const app = await buildApp(erpContext(handle.database, clock, env), { masterKeys, ...appOptions });
  await app.ready();
  return {
    app,
    handle,
    clock,
    masterKeys,
    call: (method, url, body, headers) =>
      signedInject(app, {
        method,
        url,
        ...(body === undefined ? {} : { body }),
        identity: { user: 'tester', roles: ['manager'] },
        ...(headers ? { headers } : {}),
      }),
    asPeer: (principal, method, url, body) =>
      signedInject(app, { method, url, ...(body === undefined ? {} : { body }) }, testCredentials(principal)),
    async close() {
      await app.close();
      await handle.destroy();
    },
  };
}

/** A harness with the demo masters (two warehouses, three items, two customers) in place. */
export async function startWithMasters(target: TestDatabaseTarget, env: Record<string, string> = {}): Promise<Harness> {
  const h = await startHarness(target, env);
  await masters(h);
  return h;
}

export async function masters(h: Harness): Promise<void> {
  for (const w of ['WH-A', 'WH-B']) await ok(h.call('POST', '/warehouses', { name: w, warehouse_name: w }), 201);
  await ok(h.call('POST', '/items', { item_code: 'SWEET-1', item_group: 'Sweets', brand: 'Harsha', standard_rate: '100' }), 201);
  await ok(h.call('POST', '/items', { item_code: 'CHOC-1', item_group: 'Chocolates', brand: 'Cocoa', standard_rate: '200' }), 201);
  await ok(h.call('POST', '/items', { item_code: 'PLAIN-1', item_group: 'Snacks', standard_rate: '50' }), 201);
  for (const customer of [
    { name: 'C-RETAIL', customer_name: 'Retail One', customer_group: 'Retail', territory: 'Chennai' },
    { name: 'C-WHOLE', customer_name: 'Wholesale One', customer_group: 'Wholesale', territory: 'Bengaluru', credit_limit: '200000' },
  ])
    await ok(h.call('POST', '/customers', customer), 201);
}

/** A segment made through the API: code, name and type, and whatever else the test sets. */
export function createSegment(h: Harness, code: string, name: string, type: string, body: Record<string, unknown> = {}): Promise<any> {
  return ok(h.call('POST', '/segments', { segment_code: code, segment_name: name, segment_type: type, ...body }), 201);
}

/** A customer put in a segment through the API. */
export function assignSegment(h: Harness, customer: string, body: Record<string, unknown>): Promise<any> {
  return ok(h.call('POST', `/customers/${customer}/segments`, body), 201);
}

/** A pricing rule made through the API, with what most tests share: item-scoped, everyone, since 2026. */
export function pricingRule(h: Harness, code: string, body: Record<string, unknown>): Promise<any> {
  return ok(
    h.call('POST', '/pricing/rules', {
      rule_code: code,
      rule_name: code,
      rule_type: 'Promotional',
      valid_from: '2026-01-01',
      apply_on: 'Item Code',
      applicable_for: 'All Customers',
      ...body,
    }),
    201,
  );
}

export async function ok<T = any>(response: Promise<{ statusCode: number; json(): any; body: string }>, status = 200): Promise<T> {
  const r = await response;
  if (r.statusCode !== status) throw new Error(`expected ${status}, got ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}

export async function outboxTypes(h: Harness): Promise<string[]> {
  const rows = await h.handle.database.db.selectFrom('outbox').select(['type']).orderBy('position').execute();
  return rows.map((r) => String(r.type));
}

/** Receives a batch of SWEET-1 into WH-A (10 units, made 2026-02-01) unless the body says otherwise. */
export const receive = (h: Harness, body: Record<string, unknown>) =>
  h.call('POST', '/batches', {
    item: 'SWEET-1',
    warehouse: 'WH-A',
    qty: '10',
    manufacturing_date: '2026-02-01',
    sugar_content_percentage: '40',
    ...body,
  });
