import { sql, type Kysely } from 'kysely';
import type { Logger } from '@tributary/platform/core';
import type { GatewayDatabase } from '../../db/schema.js';

const PARTITION = /^api_audit_logs_y(\d{4})m(\d{2})$/;

function monthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

export function partitionName(date: Date): string {
  return `api_audit_logs_y${date.getUTCFullYear()}m${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Monthly partitions of api_audit_logs: this month and the next `ahead` exist before rows
 * arrive (anything else lands in the default partition), and partitions wholly older than
 * the retention are dropped, which is how retention costs nothing per row.
 */
export async function maintainAuditPartitions(
  db: Kysely<GatewayDatabase>,
  now: Date,
  retentionMonths: number,
  logger: Logger,
  ahead = 2,
): Promise<{ created: string[]; dropped: string[] }> {
  const created: string[] = [];
  const dropped: string[] = [];
  const existing = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'api_audit_logs'`.execute(db);
  const names = new Set(existing.rows.map((row) => row.name));
  for (let offset = 0; offset <= ahead; offset++) {
    const from = monthStart(now.getUTCFullYear(), now.getUTCMonth() + offset);
    const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
    const name = partitionName(from);
    if (names.has(name)) continue;
    try {
      await sql
        .raw(
          `create table if not exists ${name} partition of api_audit_logs for values from ('${from.toISOString()}') to ('${to.toISOString()}')`,
        )
        .execute(db);
      created.push(name);
    } catch (error) {
      // Rows for that month already sit in the default partition; they stay there, still queryable.
      logger.warn({ err: error, partition: name }, 'could not create audit partition');
    }
  }
  const cutoff = monthStart(now.getUTCFullYear(), now.getUTCMonth() - retentionMonths);
  for (const name of names) {
    const match = PARTITION.exec(name);
    if (!match) continue;
    const end = monthStart(Number(match[1]), Number(match[2]));
    if (end <= cutoff) {
      await sql.raw(`drop table if exists ${name}`).execute(db);
      dropped.push(name);
    }
  }
  if (created.length > 0 || dropped.length > 0) logger.info({ created, dropped }, 'audit partitions maintained');
  return { created, dropped };
}
