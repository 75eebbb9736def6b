import { sql, type Selectable } from 'kysely';
import { asTables, type AnyKysely } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { OUTBOX_SEQUENCE_TABLE, OUTBOX_TABLE, type OutboxTables } from './migrations.js';

export interface OutboxEvent {
  id: string;
  /** Decimal string: sequences are bigint. */
  sequence: string;
  aggregateType: string;
  aggregateId: string;
  type: string;
  payload: unknown;
  metadata: Record<string, unknown> | null;
  createdAt: number;
}

export interface OutboxPage {
  events: OutboxEvent[];
  /** The cursor to pass as `after` next time (unchanged when nothing new). */
  next: string;
  hasMore: boolean;
}

/**
 * Why sequences are assigned at read time: a bigserial taken at insert time commits out of
 * order under concurrent writers (seq 7 can become visible before seq 6), and a consumer that
 * advanced its cursor past 6 would never see it. Here, one assigner at a time (a row lock on
 * the counter) numbers the rows that are committed and visible, in insert order; a row that
 * commits later gets a later number. Consumers therefore read a gap-free, append-only order.
 */
export async function assignSequences(db: AnyKysely, batchSize = 1000): Promise<number> {
  // The counter row lock alone serialises assigners. Locking the pending rows too would take
  // gap locks on MariaDB that deadlock with concurrent inserts; the UPDATE below touches only
  // the listed primary keys, which no writer holds once committed.
  return inTransaction(asTables<OutboxTables>(db), async (trx) => {
    const counter = await trx
      .selectFrom(OUTBOX_SEQUENCE_TABLE)
      .select('last_sequence')
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const pending = await trx
      .selectFrom(OUTBOX_TABLE)
      .select('position')
      .where('sequence', 'is', null)
      .orderBy('position')
      .limit(batchSize)
      .execute();
    if (pending.length === 0) return 0;
    const base = BigInt(counter.last_sequence);
    const cases = pending.map((row, index) => sql`when ${String(row.position)} then ${String(base + BigInt(index + 1))}`);
    const positions = pending.map((row) => String(row.position));
    await trx
      .updateTable(OUTBOX_TABLE)
      .set({ sequence: sql`cast(case ${sql.ref('position')} ${sql.join(cases, sql` `)} end as ${sql.raw(castType(trx))})` })
      .where('position', 'in', positions)
      .execute();
    await trx
      .updateTable(OUTBOX_SEQUENCE_TABLE)
      .set({ last_sequence: String(base + BigInt(pending.length)) })
      .where('id', '=', 1)
      .execute();
    return pending.length;
  });
}

function castType(trx: AnyKysely): string {
  // MariaDB casts to SIGNED, PostgreSQL to bigint; the adapter tells which we are on.
  return trx.getExecutor().adapter.supportsReturning ? 'bigint' : 'signed';
}

export async function readOutbox(db: AnyKysely, after: string, limit: number): Promise<OutboxPage> {
  if (db.getExecutor().adapter.supportsReturning) return readOutboxPostgres(db, after, limit);
  const assigned = await assignSequences(db, Math.max(limit, 100));
  const rows = await asTables<OutboxTables>(db)
    .selectFrom(OUTBOX_TABLE)
    .select(['id', 'sequence', 'aggregate_type', 'aggregate_id', 'type', 'payload', 'metadata', 'created_at'])
    .where('sequence', '>', after)
    .orderBy('sequence')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map(toEvent);
  return {
    events: page,
    next: page.length > 0 ? page[page.length - 1]!.sequence : after,
    hasMore: rows.length > limit || assigned >= Math.max(limit, 100),
  };
}

type PageRow = Pick<
  Selectable<OutboxTables[typeof OUTBOX_TABLE]>,
  'id' | 'sequence' | 'aggregate_type' | 'aggregate_id' | 'type' | 'payload' | 'metadata' | 'created_at'
>;

/**
 * PostgreSQL: the same numbering and read as assignSequences + select, in four round trips
 * instead of seven. The counter row is locked by a statement of its own, so the next statement's
 * snapshot is taken once every earlier assigner has committed: it sees their numbers and never
 * numbers a row twice. That statement numbers the pending rows, moves the counter and returns
 * the page: rows numbered before (visible in the table) followed by the ones it numbered (seen
 * only through RETURNING in the same statement), which all come after them.
 */
async function readOutboxPostgres(db: AnyKysely, after: string, limit: number): Promise<OutboxPage> {
  const batch = Math.max(limit, 100);
  const { rows, assigned } = await inTransaction(asTables<OutboxTables>(db), async (trx) => {
    await sql`select last_sequence from ${sql.table(OUTBOX_SEQUENCE_TABLE)} where id = 1 for update`.execute(trx);
    const result = await sql<PageRow & { assigned: string }>`
      with pending as (
        select position, row_number() over (order by position) as n
        from (select position from ${sql.table(OUTBOX_TABLE)} where sequence is null order by position limit ${batch}) oldest),
      counter as (select last_sequence from ${sql.table(OUTBOX_SEQUENCE_TABLE)} where id = 1),
      numbered as (
        update ${sql.table(OUTBOX_TABLE)} o set sequence = counter.last_sequence + pending.n
        from pending, counter where o.position = pending.position
        returning o.id, o.sequence, o.aggregate_type, o.aggregate_id, o.type, o.payload, o.metadata, o.created_at),
      moved as (
        update ${sql.table(OUTBOX_SEQUENCE_TABLE)} set last_sequence = last_sequence + (select count(*) from pending)
        where id = 1 and exists (select 1 from pending)),
      page as (
        (select id, sequence, aggregate_type, aggregate_id, type, payload, metadata, created_at from ${sql.table(OUTBOX_TABLE)}
         where sequence > ${after} order by sequence limit ${limit + 1})
        union all
        (select * from numbered where sequence > ${after}))
      select page.*, (select count(*) from numbered) as assigned from page order by sequence limit ${limit + 1}`.execute(trx);
    return { rows: result.rows, assigned: Number(result.rows[0]?.assigned ?? 0) };
  });
  const page = rows.slice(0, limit).map(toEvent);
  return {
    events: page,
    next: page.length > 0 ? page[page.length - 1]!.sequence : after,
    hasMore: rows.length > limit || assigned >= batch,
  };
}

export interface LongPollOptions {
  waitMs: number;
  /** How often to look again while waiting; small so consumers are woken promptly. */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Sleeps up to `ms`, resolving early when the service has just committed events (same process). */
  wake?: (ms: number) => Promise<void>;
}

export async function readOutboxWaiting(db: AnyKysely, after: string, limit: number, options: LongPollOptions): Promise<OutboxPage> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const page = await readOutbox(db, after, limit);
    if (page.events.length > 0 || Date.now() >= deadline || options.signal?.aborted) return page;
    const pause = Math.min(options.intervalMs ?? 50, Math.max(0, deadline - Date.now()));
    await (options.wake ? options.wake(pause) : new Promise((resolve) => setTimeout(resolve, pause)));
  }
}

function toEvent(row: PageRow): OutboxEvent {
  return {
    id: row.id,
    sequence: String(row.sequence),
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    type: row.type,
    payload: JSON.parse(row.payload),
    metadata: row.metadata ? JSON.parse(row.metadata) : null,
    createdAt: Number(row.created_at),
  };
}
