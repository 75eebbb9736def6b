import { dbConstraintName, dbErrorKind, type Insertable, type Kysely, type Selectable } from '@tributary/platform/db';
import type { ProcessingDb, ReconciliationDifferenceTable, ReconciliationReportTable } from '../../db/schema.js';
import { ProcessingError } from '../../errors.js';

export type ReportRow = Selectable<ReconciliationReportTable>;
export type DifferenceRow = Selectable<ReconciliationDifferenceTable>;
export type NewDifference = Omit<Insertable<ReconciliationDifferenceTable>, 'report_id' | 'seq'>;

/** The counts a finished run stores, one column per difference kind. */
export type ReportCounts = Pick<
  ReportRow,
  | 'shipments'
  | 'allocation_groups'
  | 'bags_checked'
  | 'differences'
  | 'quantity_mismatch'
  | 'status_mismatch'
  | 'orphaned_allocation'
  | 'missing_allocation'
  | 'bag_over_allocated'
  | 'shipped_kg'
  | 'allocated_kg'
>;

/**
 * Starts a report: first marks failed a `running` report whose heartbeat is older than
 * `staleBefore` (its process died), then inserts the new one. The one-running index refuses a
 * second live run; that is the caller's 409.
 */
export async function insertRunningReport(
  db: Kysely<ProcessingDb>,
  report: { trigger: ReportRow['trigger']; requested_by: string; now: Date; staleBefore: Date },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('reconciliation_report')
      .set({
        status: 'failed',
        finished_at: report.now,
        error_code: 'RUN_ABANDONED',
        error_message: 'the run stopped reporting progress',
      })
      .where('status', '=', 'running')
      .where('heartbeat_at', '<', report.staleBefore)
      .execute();
    try {
      const row = await trx
        .insertInto('reconciliation_report')
        .values({
          trigger: report.trigger,
          requested_by: report.requested_by,
          status: 'running',
          started_at: report.now,
          heartbeat_at: report.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return String(row.id);
    } catch (error) {
      if (dbErrorKind(error) === 'unique' && dbConstraintName(error) === 'reconciliation_report_one_running')
        throw ProcessingError.RECONCILIATION_RUNNING('A reconciliation is already running; wait for its report');
      throw error;
    }
  });
}

/** Appends differences after `lastSeq` (numbered on from it) and records that the run is alive. */
export async function appendDifferences(
  db: Kysely<ProcessingDb>,
  reportId: string,
  lastSeq: number,
  rows: readonly NewDifference[],
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (rows.length > 0)
      await trx
        .insertInto('reconciliation_difference')
        .values(rows.map((row, i) => ({ ...row, report_id: reportId, seq: lastSeq + i + 1 })))
        .execute();
    await trx.updateTable('reconciliation_report').set({ heartbeat_at: now }).where('id', '=', reportId).execute();
  });
}

export async function finishReport(db: Kysely<ProcessingDb>, reportId: string, counts: ReportCounts, now: Date): Promise<void> {
  await db
    .updateTable('reconciliation_report')
    .set({ ...counts, status: 'completed', finished_at: now, heartbeat_at: now })
    .where('id', '=', reportId)
    .where('status', '=', 'running')
    .execute();
}

export async function failReport(
  db: Kysely<ProcessingDb>,
  reportId: string,
  error: { code: string; message: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('reconciliation_report')
    .set({ status: 'failed', finished_at: now, heartbeat_at: now, error_code: error.code, error_message: error.message })
    .where('id', '=', reportId)
    .where('status', '=', 'running')
    .execute();
}

export async function findReport(db: Kysely<ProcessingDb>, reportId: string): Promise<ReportRow | undefined> {
  return db.selectFrom('reconciliation_report').selectAll().where('id', '=', reportId).executeTakeFirst();
}

/** Newest first; `after` is the (started_at, id) of the last report of the previous page. */
export async function reportPage(
  db: Kysely<ProcessingDb>,
  after: { started_at: string; id: string } | undefined,
  limit: number,
): Promise<ReportRow[]> {
  let query = db.selectFrom('reconciliation_report').selectAll();
  if (after) {
    const at = new Date(after.started_at);
    query = query.where((eb) => eb.or([eb('started_at', '<', at), eb.and([eb('started_at', '=', at), eb('id', '<', after.id)])]));
  }
  return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A report's differences in the order they were found, optionally of one kind. */
export async function differencePage(
  db: Kysely<ProcessingDb>,
  reportId: string,
  filter: { kind?: string; afterSeq: number },
  limit: number,
): Promise<DifferenceRow[]> {
  let query = db.selectFrom('reconciliation_difference').selectAll().where('report_id', '=', reportId).where('seq', '>', filter.afterSeq);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  return query.orderBy('seq').limit(limit).execute();
}

/** The newest completed report: what the metrics show. */
export async function lastCompletedReport(db: Kysely<ProcessingDb>): Promise<ReportRow | undefined> {
  return db
    .selectFrom('reconciliation_report')
    .selectAll()
    .where('status', '=', 'completed')
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
