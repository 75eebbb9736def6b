import { sql } from 'kysely';
import type { AnyKysely } from '@tributary/platform/db';

export interface PartitionPolicy {
  /** Months kept attached to sync_events and queried by the API (reference: 6). */
  activeMonths: number;
  /** Months an archived (detached) partition is kept before it is dropped (reference: 24, compliance). 0 drops at once. */
  archiveMonths: number;
  /** Partitions created ahead of the current month, so an insert never finds none. */
  premakeMonths: number;
}

export interface PartitionReport {
  created: string[];
  archived: string[];
  dropped: string[];
}

const NAME = /^sync_events_y(\d{4})m(\d{2})$/;

export function partitionName(year: number, month: number): string {
  return `sync_events_y${year}m${String(month + 1).padStart(2, '0')}`;
}

function monthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

/** Months since epoch of a UTC date: comparable month numbers. */
function monthIndex(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/**
 * pg_partman's job, kept small: premake future months, detach months past the active window
 * (archived, still queryable by name), drop archives past the compliance window. Only months
 * inside [now - active, now + premake] are ever created, so a long maintenance gap cannot
 * create partitions that expire at once (pgpartman/pg_partman#649).
 */
export async function maintainPartitions(db: AnyKysely, now: Date, policy: PartitionPolicy): Promise<PartitionReport> {
  const report: PartitionReport = { created: [], archived: [], dropped: [] };
  const current = monthIndex(now);
  const attached = new Set(await attachedPartitions(db));
  for (let offset = 0; offset <= policy.premakeMonths; offset++) {
    const index = current + offset;
    const year = Math.floor(index / 12);
    const month = index % 12;
    const name = partitionName(year, month);
    if (attached.has(name)) continue;
    const from = monthStart(year, month).toISOString();
    const to = monthStart(year, month + 1).toISOString();
    // Concurrent maintainers (N replicas) race here; "if not exists" plus a lost race is harmless.
    await sql
      .raw(`create table if not exists ${name} partition of sync_events for values from ('${from}') to ('${to}')`)
      .execute(db)
      .catch((error: unknown) => {
        if (!/already exists|would overlap/i.test(String((error as Error).message))) throw error;
      });
    report.created.push(name);
  }
  for (const name of attached) {
    const index = indexOf(name);
    if (index !== undefined && index <= current - policy.activeMonths) {
      await sql.raw(`alter table sync_events detach partition ${name}`).execute(db);
      report.archived.push(name);
    }
  }
  const nowAttached = new Set(await attachedPartitions(db));
  for (const name of await allPartitionTables(db)) {
    if (nowAttached.has(name)) continue;
    const index = indexOf(name);
    if (index !== undefined && index <= current - policy.activeMonths - policy.archiveMonths) {
      await sql.raw(`drop table if exists ${name}`).execute(db);
      report.dropped.push(name);
    }
  }
  return report;
}

function indexOf(name: string): number | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export async function attachedPartitions(db: AnyKysely): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'sync_events' and p.relnamespace = (select oid from pg_namespace where nspname = current_schema())
    order by c.relname`.execute(db);
  return result.rows.map((row) => row.name);
}

export async function allPartitionTables(db: AnyKysely): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename ~ '^sync_events_y[0-9]{4}m[0-9]{2}$'
    order by tablename`.execute(db);
  return result.rows.map((row) => row.name);
}

/** The partition a capture needs is missing (SQLSTATE 23514 "no partition of relation … found"). */
export function isMissingPartition(error: unknown): boolean {
  const message = String((error as Error | undefined)?.message ?? '');
  return /no partition of relation/i.test(message);
}
