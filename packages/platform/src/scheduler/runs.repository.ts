import type { Kysely, Selectable } from 'kysely';
import { dbErrorKind } from '../db/errors.js';
import { asTables, type AnyKysely } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { writeEvent } from '../outbox/write.js';
import { JOB_RUN_TABLE, type JobRunStatus, type JobTrigger, type SchedulerTables } from './migration.js';

/** A run as the scheduler and its routes see it: times are UTC epoch ms. */
export interface JobRun {
  id: string;
  job: string;
  scheduledFor: number;
  trigger: JobTrigger;
  status: JobRunStatus;
  holder: string;
  leaseUntil: number | null;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  summary: Record<string, unknown> | null;
  error: string | null;
}

export interface NewRun {
  id: string;
  job: string;
  scheduledFor: number;
  trigger: JobTrigger;
  holder: string;
  startedAt: number;
  leaseUntil: number;
}

export interface FinishedRun {
  status: 'succeeded' | 'failed';
  finishedAt: number;
  summary: Record<string, unknown> | null;
  error: string | null;
}

const tables = (db: AnyKysely): Kysely<SchedulerTables> => asTables<SchedulerTables>(db);
type StoredRow = Selectable<SchedulerTables[typeof JOB_RUN_TABLE]>;

const orNull = (value: string | null): number | null => (value === null ? null : Number(value));

function toRun(row: StoredRow): JobRun {
  return {
    id: row.id,
    job: row.job,
    scheduledFor: Number(row.scheduled_for),
    trigger: row.trigger,
    status: row.status,
    holder: row.holder,
    leaseUntil: orNull(row.lease_until),
    startedAt: Number(row.started_at),
    finishedAt: orNull(row.finished_at),
    durationMs: orNull(row.duration_ms),
    summary: row.summary === null ? null : (JSON.parse(row.summary) as Record<string, unknown>),
    error: row.error,
  };
}

/**
 * Inserts the period's row: true when this replica won it. The unique (job, scheduled_for)
 * refuses every other replica's insert, which is the whole of "one run per period".
 */
export async function claimPeriod(db: AnyKysely, run: NewRun): Promise<boolean> {
  try {
    await tables(db)
      .insertInto(JOB_RUN_TABLE)
      .values({
        id: run.id,
        job: run.job,
        scheduled_for: run.scheduledFor,
        trigger: run.trigger,
        status: 'running',
        holder: run.holder,
        lease_until: run.leaseUntil,
        started_at: run.startedAt,
        finished_at: null,
        duration_ms: null,
        summary: null,
        error: null,
      })
      .execute();
    return true;
  } catch (error) {
    if (dbErrorKind(error) === 'unique') return false;
    throw error;
  }
}

/**
 * Moves the lease of a run this replica still holds: forward while it runs (the heartbeat), or
 * to now to hand it back at shutdown. False when the replica no longer holds it.
 */
export async function setLease(db: AnyKysely, id: string, holder: string, leaseUntil: number): Promise<boolean> {
  const result = await tables(db)
    .updateTable(JOB_RUN_TABLE)
    .set({ lease_until: leaseUntil })
    .where('id', '=', id)
    .where('holder', '=', holder)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Runs of these jobs still `running` whose holder stopped renewing before `now`. */
export async function expiredRuns(db: AnyKysely, jobs: readonly string[], now: number): Promise<JobRun[]> {
  if (jobs.length === 0) return [];
  const rows = await tables(db)
    .selectFrom(JOB_RUN_TABLE)
    .selectAll()
    .where('status', '=', 'running')
    .where('job', 'in', jobs)
    .where('lease_until', '<', String(now))
    .execute();
  return rows.map(toRun);
}

/**
 * Compare-and-set on the holder and lease seen: of the replicas that saw the same expired
 * lease, exactly one moves it to itself.
 */
export async function takeOver(db: AnyKysely, seen: JobRun, holder: string, now: number, leaseUntil: number): Promise<boolean> {
  if (seen.leaseUntil === null) return false;
  const result = await tables(db)
    .updateTable(JOB_RUN_TABLE)
    // started_at becomes the new attempt's, so the run's duration is the work that finished it.
    .set({ holder, lease_until: leaseUntil, started_at: now })
    .where('id', '=', seen.id)
    .where('holder', '=', seen.holder)
    .where('lease_until', '=', String(seen.leaseUntil))
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Writes the run's final state and its outbox event in one transaction, only while this
 * replica still holds the run: a run taken over reports nothing from its old holder.
 */
export async function finishRun(
  db: AnyKysely,
  run: JobRun,
  holder: string,
  finished: FinishedRun,
  event: { type: string; aggregateId: string; payload: unknown },
): Promise<boolean> {
  return inTransaction(tables(db), async (trx) => {
    const result = await trx
      .updateTable(JOB_RUN_TABLE)
      .set({
        status: finished.status,
        finished_at: finished.finishedAt,
        duration_ms: finished.finishedAt - run.startedAt,
        lease_until: null,
        summary: finished.summary === null ? null : JSON.stringify(finished.summary),
        error: finished.error,
      })
      .where('id', '=', run.id)
      .where('holder', '=', holder)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await writeEvent(
      trx,
      { aggregateType: 'job', aggregateId: event.aggregateId, type: event.type, payload: event.payload },
      { now: () => finished.finishedAt },
    );
    return true;
  });
}

export async function findRun(db: AnyKysely, id: string): Promise<JobRun | undefined> {
  const row = await tables(db).selectFrom(JOB_RUN_TABLE).selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRun(row);
}

/** A run of the job still running under a live lease, if any. */
export async function liveRun(db: AnyKysely, job: string, now: number): Promise<JobRun | undefined> {
  const row = await tables(db)
    .selectFrom(JOB_RUN_TABLE)
    .selectAll()
    .where('job', '=', job)
    .where('status', '=', 'running')
    .where('lease_until', '>=', String(now))
    .orderBy('scheduled_for', 'desc')
    .executeTakeFirst();
  return row && toRun(row);
}

/** The job's runs, newest period first, those before `before` (epoch ms) when given. */
export async function listRuns(db: AnyKysely, job: string, limit: number, before?: number): Promise<JobRun[]> {
  let query = tables(db).selectFrom(JOB_RUN_TABLE).selectAll().where('job', '=', job);
  if (before !== undefined) query = query.where('scheduled_for', '<', String(before));
  const rows = await query.orderBy('scheduled_for', 'desc').limit(limit).execute();
  return rows.map(toRun);
}

/** Each job's newest run. */
export async function lastRuns(db: AnyKysely, jobs: readonly string[]): Promise<Map<string, JobRun>> {
  const last = new Map<string, JobRun>();
  for (const job of jobs) {
    const [run] = await listRuns(db, job, 1);
    if (run) last.set(job, run);
  }
  return last;
}

/** When the job's newest succeeded run finished (epoch ms). */
export async function lastSucceeded(db: AnyKysely, job: string): Promise<number | undefined> {
  const row = await tables(db)
    .selectFrom(JOB_RUN_TABLE)
    .select('finished_at')
    .where('job', '=', job)
    .where('status', '=', 'succeeded')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.finished_at == null ? undefined : Number(row.finished_at);
}
