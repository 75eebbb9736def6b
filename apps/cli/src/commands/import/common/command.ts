import type { Logger } from '@tributary/platform/core';
import type { ImportSource } from '@tributary/platform/import-log';
import { formatImportText, writeImportReportCsv } from './format.js';
import { createImportProgress } from './progress.js';
import { failedChecks, type ImportReport } from './report.js';
import { startImportSession, type ChunkDone, type ImportSession } from './run.js';
import { openTarget, type TargetDatabase } from './targets.js';

/** What an importer (mtp, harsha) supplies; the frame does targets, runs, progress and output. */
export interface Importer<Sources> {
  source: ImportSource;
  /** The Tributary services it writes to. */
  services: readonly string[];
  /** Opens the original databases (only read). */
  openSources(logger: Logger): Promise<{ sources: Sources; close(): Promise<void> }>;
  /** Runs every table through `session.runTable`, then adds its checks to `session.report.checks`. */
  run(session: ImportSession, sources: Sources): Promise<void>;
}

export interface ImportRunOptions {
  dataDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Write; without it the import is a dry run that writes nothing anywhere. */
  apply: boolean;
  chunkSize: number;
  progress: boolean;
  onChunk?: (chunk: ChunkDone) => void;
}

export async function runImport<Sources>(importer: Importer<Sources>, options: ImportRunOptions): Promise<ImportReport> {
  if (!Number.isInteger(options.chunkSize) || options.chunkSize < 1) throw new RangeError('--chunk-size must be a positive integer');
  const { sources, close } = await importer.openSources(options.logger);
  const targets: TargetDatabase[] = [];
  try {
    for (const service of importer.services) {
      targets.push(
        await openTarget(service, { dataDir: options.dataDir, env: options.env, logger: options.logger, migrate: options.apply }),
      );
    }
    const session = await startImportSession({
      source: importer.source,
      mode: options.apply ? 'apply' : 'dry-run',
      chunkSize: options.chunkSize,
      targets,
      progress: createImportProgress(options.progress),
      logger: options.logger,
      ...(options.onChunk ? { onChunk: options.onChunk } : {}),
    });
    try {
      await importer.run(session, sources);
    } catch (error) {
      await session.finish('failed').catch(() => undefined);
      throw error;
    }
    await session.finish('finished');
    return session.report;
  } finally {
    await Promise.allSettled([close(), ...targets.map((t) => t.database.close())]);
  }
}

export interface ImportOutputOptions {
  json?: boolean;
  reportCsv?: string;
}

/** Prints the report (text or JSON) and writes the CSV when asked; returns the exit code. */
export async function outputImportReport(
  report: ImportReport,
  options: ImportOutputOptions,
  stdout: { write(text: string): unknown },
): Promise<number> {
  if (options.reportCsv) await writeImportReportCsv(options.reportCsv, report);
  stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatImportText(report));
  return importExitCode(report);
}

/** 0 when every check passed, 2 when one did (as `reconcile`); findings alone are expected. */
export function importExitCode(report: ImportReport): number {
  return failedChecks(report).length > 0 ? 2 : 0;
}
