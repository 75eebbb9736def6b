import { sql, type Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

export interface FlowBucketRow {
  bucket: Date;
  source: string;
  target: string;
  delivered: number;
  failed: number;
  /** Source commit to target acknowledgement, over the bucket's deliveries; null when none. */
  avgLagMs: number | null;
  maxLagMs: number | null;
}

interface Window {
  from: Date;
  to: Date;
  bucketSeconds: number;
}

const bucketOf = (column: 'completed_at' | 'last_error_at', seconds: number) =>
  sql<Date>`to_timestamp(floor(extract(epoch from ${sql.ref(column)}) / ${seconds}) * ${seconds})`;

/**
 * Deliveries per flow (source → target) and time bucket: completed ones with their lag, by when
 * they completed, and failed attempts by when they last failed. Both from the delivery table,
 * so the figures hold for every replica and survive restarts.
 */
export async function countFlowBuckets(db: Kysely<SyncDatabase>, window: Window): Promise<FlowBucketRow[]> {
  const lag = sql<number>`extract(epoch from (completed_at - event_created_at)) * 1000`;
  const completed = await db
    .selectFrom('sync_status')
    .select([
      bucketOf('completed_at', window.bucketSeconds).as('bucket'),
      'source_system',
      'target_system',
      (eb) => eb.fn.countAll<string>().as('n'),
      sql<string | null>`avg(${lag})`.as('avg_lag'),
      sql<string | null>`max(${lag})`.as('max_lag'),
    ])
    .where('completed_at', '>=', window.from)
    .where('completed_at', '<', window.to)
    .groupBy([sql`1`, 'source_system', 'target_system'])
    .execute();
  const failed = await db
    .selectFrom('sync_status')
    .select([
      bucketOf('last_error_at', window.bucketSeconds).as('bucket'),
      'source_system',
      'target_system',
      (eb) => eb.fn.countAll<string>().as('n'),
    ])
    .where('last_error_at', '>=', window.from)
    .where('last_error_at', '<', window.to)
    .groupBy([sql`1`, 'source_system', 'target_system'])
    .execute();
  const rows = new Map<string, FlowBucketRow>();
  const rowOf = (bucket: Date, source: string, target: string) => {
    const key = `${new Date(bucket).getTime()}|${source}|${target}`;
    let row = rows.get(key);
    if (!row) {
      row = { bucket: new Date(bucket), source, target, delivered: 0, failed: 0, avgLagMs: null, maxLagMs: null };
      rows.set(key, row);
    }
    return row;
  };
  for (const row of completed) {
    const entry = rowOf(row.bucket, row.source_system, row.target_system);
    entry.delivered = Number(row.n);
    entry.avgLagMs = row.avg_lag === null ? null : Math.round(Number(row.avg_lag));
    entry.maxLagMs = row.max_lag === null ? null : Math.round(Number(row.max_lag));
  }
  for (const row of failed) rowOf(row.bucket, row.source_system, row.target_system).failed = Number(row.n);
  return [...rows.values()];
}
