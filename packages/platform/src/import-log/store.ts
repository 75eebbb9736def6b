import type { Selectable } from 'kysely';
import { uuid } from '../core/ids.js';
import { asTables, type AnyKysely } from '../db/schema.js';
import type { DialectName } from '../db/url.js';
import {
  IMPORT_LOG_TABLE,
  IMPORT_RUN_TABLE,
  type ImportDecision,
  type ImportLogTables,
  type ImportMode,
  type ImportRunStatus,
  type ImportSource,
} from './migration.js';

/** How far one source table got: the last source key written, and whether the table is complete. */
export interface TableCheckpoint {
  lastKey: string | null;
  done: boolean;
  /** The table's report counts so far, so a resumed run reports the whole table. */
  counts?: Record<string, number>;
}

/** Per source table; committed in the same transaction as the chunk it covers. */
export type ImportCheckpoint = Record<string, TableCheckpoint>;

export interface ImportRun {
  id: string;
  source: ImportSource;
  mode: ImportMode;
  startedAt: number;
  finishedAt: number | null;
  status: ImportRunStatus;
  checkpoint: ImportCheckpoint;
  summary: unknown;
}

/** One row the import fixed, held back or refused, with the original row in `detail`. */
export interface ImportFinding {
  sourceTable: string;
  sourceKey: string;
  fault: string;
  decision: ImportDecision;
  detail: Record<string, unknown>;
}

const tables = (db: AnyKysely) => asTables<ImportLogTables>(db);

function toRun(row: Selectable<ImportLogTables[typeof IMPORT_RUN_TABLE]>): ImportRun {
  return {
    id: row.id,
    source: row.source,
    mode: row.mode,
    startedAt: Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    status: row.status,
    checkpoint: JSON.parse(row.checkpoint) as ImportCheckpoint,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as unknown),
  };
}

/** The newest apply run of `source` that never finished (killed or failed): the one to resume. */
export async function unfinishedImportRun(db: AnyKysely, source: ImportSource): Promise<ImportRun | undefined> {
  const row = await tables(db)
    .selectFrom(IMPORT_RUN_TABLE)
    .selectAll()
    .where('source', '=', source)
    .where('mode', '=', 'apply')
    .where('status', '<>', 'finished')
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? toRun(row) : undefined;
}

export async function importRuns(db: AnyKysely, source: ImportSource): Promise<ImportRun[]> {
  const rows = await tables(db)
    .selectFrom(IMPORT_RUN_TABLE)
    .selectAll()
    .where('source', '=', source)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map(toRun);
}

export async function startImportRun(db: AnyKysely, source: ImportSource, mode: ImportMode, now = Date.now()): Promise<ImportRun> {
  const run: ImportRun = { id: uuid(), source, mode, startedAt: now, finishedAt: null, status: 'running', checkpoint: {}, summary: null };
  await tables(db)
    .insertInto(IMPORT_RUN_TABLE)
    .values({ id: run.id, source, mode, started_at: now, finished_at: null, status: 'running', checkpoint: '{}', summary: null })
    .execute();
  return run;
}

/** Marks a failed or killed run as running again; its checkpoint says where to continue. */
export async function resumeImportRun(db: AnyKysely, runId: string): Promise<void> {
  await tables(db).updateTable(IMPORT_RUN_TABLE).set({ status: 'running' }).where('id', '=', runId).execute();
}

/** Call inside the chunk's transaction so the checkpoint never runs ahead of (or behind) the rows. */
export async function saveImportCheckpoint(trx: AnyKysely, runId: string, checkpoint: ImportCheckpoint): Promise<void> {
  await tables(trx)
    .updateTable(IMPORT_RUN_TABLE)
    .set({ checkpoint: JSON.stringify(checkpoint) })
    .where('id', '=', runId)
    .execute();
}

export async function finishImportRun(
  db: AnyKysely,
  runId: string,
  status: Exclude<ImportRunStatus, 'running'>,
  summary: unknown,
  now = Date.now(),
): Promise<void> {
  await tables(db)
    .updateTable(IMPORT_RUN_TABLE)
    .set({ status, finished_at: now, summary: JSON.stringify(summary) })
    .where('id', '=', runId)
    .execute();
}

/**
 * Logs findings once per (source, table, key, fault): a re-run or a resumed chunk finds the same
 * rows again and keeps the first entry. Returns how many entries are new.
 */
export async function logImportFindings(
  trx: AnyKysely,
  dialect: DialectName,
  run: { id: string; source: ImportSource },
  findings: readonly ImportFinding[],
  now = Date.now(),
): Promise<number> {
  if (findings.length === 0) return 0;
  const values = findings.map((f) => ({
    run_id: run.id,
    source: run.source,
    source_table: f.sourceTable,
    source_key: f.sourceKey,
    fault: f.fault,
    decision: f.decision,
    detail: JSON.stringify(f.detail),
    created_at: now,
  }));
  const insert = tables(trx).insertInto(IMPORT_LOG_TABLE).values(values);
  const result =
    dialect === 'mysql'
      ? await insert.ignore().executeTakeFirst()
      : await insert.onConflict((oc) => oc.columns(['source', 'source_table', 'source_key', 'fault']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export interface LoggedFinding extends ImportFinding {
  runId: string;
  createdAt: number;
}

/** Everything logged for `source`, in a stable order (table, key, fault). */
export async function importFindings(db: AnyKysely, source: ImportSource): Promise<LoggedFinding[]> {
  const rows = await tables(db)
    .selectFrom(IMPORT_LOG_TABLE)
    .selectAll()
    .where('source', '=', source)
    .orderBy('source_table')
    .orderBy('source_key')
    .orderBy('fault')
    .execute();
  return rows.map((row) => ({
    runId: row.run_id,
    sourceTable: row.source_table,
    sourceKey: row.source_key,
    fault: row.fault,
    decision: row.decision,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    createdAt: Number(row.created_at),
  }));
}
