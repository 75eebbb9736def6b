import type { Logger } from '@tributary/platform/core';
import { asDynamic, inTransaction, type AnyKysely } from '@tributary/platform/db';
import {
  finishImportRun,
  importFindings,
  logImportFindings,
  resumeImportRun,
  saveImportCheckpoint,
  startImportRun,
  unfinishedImportRun,
  type ImportCheckpoint,
  type ImportMode,
  type ImportRun,
  type ImportSource,
} from '@tributary/platform/import-log';
import type { ImportProgress } from './progress.js';
import { addFinding, createImportReport, tableCount, type ImportReport, type ReportFinding, type TableCount } from './report.js';
import type { TargetDatabase } from './targets.js';

/** A finding as a step reports it; the session adds the service. `detail.row` holds the original row. */
export type StepFinding = Omit<ReportFinding, 'service'>;

/** What became of one source row. */
export interface RowDecision {
  /** new: written (or would be); unchanged: already there; held: not written (quarantined or refused). */
  outcome: 'new' | 'unchanged' | 'held';
  findings: StepFinding[];
}

/**
 * One source table onto one target table. `pages` reads the source in key order after the given
 * key (null: from the start), `limit` rows a page, each page one chunk; `process` decides each
 * row and, when `write` is set, writes the new ones with `db`, which is then the chunk's transaction.
 */
export interface TableStep<Row> {
  service: string;
  sourceTable: string;
  targetTable: string;
  total(): Promise<number>;
  pages(after: string | null, limit: number): AsyncIterable<Row[]>;
  keyOf(row: Row): string;
  process(db: AnyKysely, rows: Row[], write: boolean): Promise<RowDecision[]>;
}

export interface ChunkDone {
  service: string;
  sourceTable: string;
  lastKey: string;
  /** Chunks committed by this process so far, all tables together. */
  chunks: number;
}

export interface ImportSessionOptions {
  source: ImportSource;
  mode: ImportMode;
  chunkSize: number;
  targets: readonly TargetDatabase[];
  progress: ImportProgress;
  logger: Logger;
  /** Called after each chunk is committed (apply) or decided (dry run). */
  onChunk?: (chunk: ChunkDone) => void;
}

interface SessionTarget extends TargetDatabase {
  run?: ImportRun;
  checkpoint: ImportCheckpoint;
}

export interface ImportSession {
  readonly report: ImportReport;
  readonly write: boolean;
  target(service: string): TargetDatabase;
  runTable<Row>(step: TableStep<Row>): Promise<TableCount>;
  /** Records the summary in every target's run; a dry run records nothing. */
  finish(status: 'finished' | 'failed'): Promise<void>;
}

/**
 * Opens (or, after an interruption, continues) a run in every target database. An apply writes
 * each chunk, its findings and its checkpoint in one transaction per target, so a killed import
 * continues after its last committed chunk and never logs a finding twice.
 */
export async function startImportSession(options: ImportSessionOptions): Promise<ImportSession> {
  const report = createImportReport(options.source, options.mode);
  const write = options.mode === 'apply';
  const targets = new Map<string, SessionTarget>();
  for (const target of options.targets) {
    report.pendingMigrations[target.service] = target.pending;
    const session: SessionTarget = { ...target, checkpoint: {} };
    if (write) {
      const open = await unfinishedImportRun(target.database.db, options.source);
      if (open) {
        await resumeImportRun(target.database.db, open.id);
        session.run = open;
        session.checkpoint = open.checkpoint;
        report.resumed.push(target.service);
        for (const logged of await importFindings(target.database.db, options.source)) {
          if (logged.runId !== open.id) continue;
          const count = tableCount(report, logged.sourceTable, '');
          addFinding(report, count, { ...logged, service: target.service, action: String(logged.detail.action ?? '') });
        }
      } else {
        session.run = await startImportRun(target.database.db, options.source, 'apply');
      }
      report.runs[target.service] = session.run.id;
    }
    targets.set(target.service, session);
  }
  let chunks = 0;

  const sessionTarget = (service: string): SessionTarget => {
    const target = targets.get(service);
    if (!target) throw new Error(`No target database "${service}" in this import`);
    return target;
  };

  return {
    report,
    write,
    target: sessionTarget,
    async runTable<Row>(step: TableStep<Row>): Promise<TableCount> {
      const target = sessionTarget(step.service);
      const count = tableCount(report, step.sourceTable, `${step.service}.${step.targetTable}`);
      count.target = `${step.service}.${step.targetTable}`;
      const saved = target.checkpoint[step.sourceTable];
      // Findings restored from the log were counted already; the saved counts include them.
      if (saved?.counts) Object.assign(count, saved.counts);
      if (saved?.done) return count;
      const bar = options.progress.table(step.sourceTable, await step.total());
      bar.advance(count.read);
      let after = saved?.lastKey ?? null;
      for await (const rows of step.pages(after, options.chunkSize)) {
        if (rows.length === 0) continue;
        const lastKey = step.keyOf(rows[rows.length - 1]!);
        const decide = async (db: AnyKysely) => {
          const decisions = await step.process(db, rows, write);
          const next: TableCount = { ...count, read: count.read + rows.length };
          const findings: ReportFinding[] = [];
          for (const decision of decisions) {
            if (decision.outcome === 'new') next.new += 1;
            if (decision.outcome === 'unchanged') next.unchanged += 1;
            for (const finding of decision.findings) findings.push({ ...finding, service: step.service });
          }
          return { next, findings };
        };
        const outcome = write
          ? await inTransaction(asDynamic(target.database.db), async (trx) => {
              const decided = await decide(trx);
              await logImportFindings(
                trx,
                target.database.dialect,
                target.run!,
                decided.findings.map((f) => ({ ...f, detail: { ...f.detail, action: f.action } })),
              );
              const checkpoint = {
                ...target.checkpoint,
                [step.sourceTable]: { lastKey, done: false, counts: countsOf(decided.next, decided.findings, count) },
              };
              await saveImportCheckpoint(trx, target.run!.id, checkpoint);
              return { ...decided, checkpoint };
            })
          : { ...(await decide(target.database.db)), checkpoint: target.checkpoint };
        target.checkpoint = outcome.checkpoint;
        Object.assign(count, { read: outcome.next.read, new: outcome.next.new, unchanged: outcome.next.unchanged });
        for (const finding of outcome.findings) addFinding(report, count, finding);
        bar.advance(rows.length);
        after = lastKey;
        chunks += 1;
        options.onChunk?.({ service: step.service, sourceTable: step.sourceTable, lastKey, chunks });
      }
      if (write) {
        const { read, new: added, unchanged, fixed, quarantined, refused } = count;
        const counts = { read, new: added, unchanged, fixed, quarantined, refused };
        target.checkpoint = { ...target.checkpoint, [step.sourceTable]: { lastKey: after, done: true, counts } };
        await saveImportCheckpoint(target.database.db, target.run!.id, target.checkpoint);
      }
      bar.done();
      return count;
    },
    async finish(status) {
      options.progress.stop();
      if (!write) return;
      for (const target of targets.values()) {
        const summary = { tables: report.tables.filter((t) => t.target.startsWith(`${target.service}.`)), checks: report.checks };
        await finishImportRun(target.database.db, target.run!.id, status, summary);
      }
    },
  };
}

/** Pages from a reader of one page after a key, until a page comes back empty. */
export async function* pagesAfter<Row>(
  read: (after: string | null, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => string,
  after: string | null,
  limit: number,
): AsyncGenerator<Row[]> {
  for (let from = after; ;) {
    const rows = await read(from, limit);
    if (rows.length === 0) return;
    yield rows;
    from = keyOf(rows[rows.length - 1]!);
  }
}

/** The counts to save with a chunk: the table's, plus the findings this chunk adds (not yet in `count`). */
function countsOf(next: TableCount, findings: readonly ReportFinding[], count: TableCount): Record<string, number> {
  const counts = {
    read: next.read,
    new: next.new,
    unchanged: next.unchanged,
    fixed: count.fixed,
    quarantined: count.quarantined,
    refused: count.refused,
  };
  for (const finding of findings) counts[finding.decision] += 1;
  return counts;
}
