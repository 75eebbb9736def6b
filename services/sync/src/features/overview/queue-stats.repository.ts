import { sql, type Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

export interface EntityStatusCount {
  entityType: string;
  status: string;
  count: number;
  /** Pending rows waiting for a retry time or a batch schedule. */
  delayed: number;
}

/**
 * Deliveries by entity type and status: every unfinished one, and those finished in the last
 * day (the original queues kept only recent finished jobs; the table keeps months).
 */
export async function countDeliveriesByEntity(db: Kysely<SyncDatabase>, now: Date): Promise<EntityStatusCount[]> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const rows = await db
    .selectFrom('sync_status')
    .select([
      'entity_type',
      'sync_status',
      (eb) => eb.fn.countAll<string>().as('count'),
      sql<string>`count(*) filter (where sync_status = 'pending' and (held or next_retry_at > ${now}))`.as('delayed'),
    ])
    .where((eb) =>
      eb.or([
        eb('sync_status', 'in', ['pending', 'in_progress', 'failed', 'conflict']),
        eb.and([eb('completed_at', 'is not', null), eb('completed_at', '>', dayAgo)]),
      ]),
    )
    .groupBy(['entity_type', 'sync_status'])
    .execute();
  return rows.map((row) => ({
    entityType: row.entity_type,
    status: row.sync_status,
    count: Number(row.count),
    delayed: Number(row.delayed),
  }));
}

/** Readiness: the database answers. */
export async function pingDatabase(db: Kysely<SyncDatabase>): Promise<void> {
  await sql`select 1`.execute(db);
}
