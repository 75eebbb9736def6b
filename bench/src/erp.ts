import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { identityHeaders, signRequest } from '@tributary/platform/auth';
import { REDACTED_PATHS } from '@tributary/platform/core';
import { createDatabase, type Database } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { signedInject, testCredentials, testKeyring, TEST_SCOPE, testServiceContext } from '@tributary/platform/testing';
import { buildApp } from '@tributary/erp/app';
import { service } from '@tributary/erp/service';
import type { FastifyInstance } from 'fastify';
import type { ErpDatabase } from '../../services/erp/src/db/schema.js';
import type { VariantResult } from './types.js';

/** erp checks the caller's role on every route: the bench calls as a manager, signed as the gateway would. */
export const MANAGER = { user: 'bench', roles: ['manager'] };

export function discardingLogger() {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
}

export async function post(app: FastifyInstance, url: string, body: unknown): Promise<void> {
  const response = await signedInject(app, { method: 'POST', url, body, identity: MANAGER });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
}

/**
 * erp on the embedded database by default (BENCH_ERP_DATABASE_URL=mysql://… or postgres://…
 * an empty database to use a server), migrated, with a fresh master key and the test keyring.
 */
export async function startErp(connections: number): Promise<{ database: Database; erp: FastifyInstance }> {
  const url = process.env.BENCH_ERP_DATABASE_URL ?? 'pglite://memory';
  const database = await createDatabase(url, { poolSize: connections + 2 });
  try {
    await migrateToLatest(database, service.migrations);
    const masterKeys = { active: 'mk-bench', keys: new Map([['mk-bench', randomBytes(32)]]) };
    const context = testServiceContext<ErpDatabase>('erp', database, {
      env: { PLANT_TIME_ZONE: 'Asia/Kolkata' },
      keyring: testKeyring(),
      logger: discardingLogger(),
    });
    const erp = (await buildApp(context, { masterKeys })) as unknown as FastifyInstance;
    return { database, erp };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Headers of a POST signed as the gateway signs a manager's call; built once per round (see LoadTarget.headers). */
export const signedPost = (baseUrl: string, path: string, body: string) => async () =>
  signRequest(
    { method: 'POST', url: `${baseUrl}${path}`, headers: { 'content-type': 'application/json', ...identityHeaders(MANAGER) }, body },
    testCredentials(),
    TEST_SCOPE,
  );

/** Where an erp scenario ran, as its report's parameters name it. */
export function databaseParameters(database: Database): { database: string; dialect: Database['dialect'] } {
  return { database: database.displayUrl, dialect: database.dialect };
}

/** A variant's median over its rounds, for the derived figures a scenario reports. */
export function median(variant: VariantResult | undefined, key: 'rps' | 'p50' | 'p99'): number {
  const values = (variant?.rounds ?? []).map((r) => r[key]).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? 0;
}
