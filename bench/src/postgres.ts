import { createDatabase, sql } from '@tributary/platform/db';
import { testDatabases, type TestDatabaseTarget } from '@tributary/platform/testing';

/** The server scenarios create their databases on: BENCH_POSTGRES_URL, else TEST_POSTGRES_URL. */
export function benchAdminUrl(): string {
  return process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The URL of database `name` on the bench server. */
export function benchDatabaseUrl(name: string): string {
  const parsed = new URL(benchAdminUrl());
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function asAdmin(statement: string): Promise<void> {
  const admin = await createDatabase(benchAdminUrl(), { poolSize: 1 });
  try {
    await sql.raw(statement).execute(admin.db);
  } finally {
    await admin.close();
  }
}

/** Creates an empty database and returns its URL. */
export async function createBenchDatabase(name: string): Promise<string> {
  await asAdmin(`create database "${name}"`);
  return benchDatabaseUrl(name);
}

export async function dropBenchDatabase(name: string): Promise<void> {
  await asAdmin(`drop database if exists "${name}" with (force)`);
}

/**
 * Fresh databases on the bench server through the kernel's test databases (dropped after the
 * run), for scenarios that start services on them. Unlike the other helpers it wants the server
 * named: a scenario that builds whole services never falls back to a local default.
 */
export function benchTestDatabases(): TestDatabaseTarget {
  const adminUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (!adminUrl)
    throw new Error('set BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) to a PostgreSQL server the benchmark may create databases on');
  // The kernel's test databases read their server from TEST_POSTGRES_URL.
  process.env.TEST_POSTGRES_URL = adminUrl;
  return testDatabases({ dialects: ['postgres'] })[0]!;
}
