import { access, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '@tributary/platform/core';
import type { AnyDatabase, Database } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { openServiceDatabase, pgliteTemplateOnce } from '../../../databases.js';
import { loadService } from '../../../services.js';
import { batchStep, orphanMovementStep } from './batches.step.js';
import {
  assignmentStep,
  customerStep,
  itemStep,
  pricingRuleItemStep,
  pricingRuleStep,
  segmentStep,
  volumeSlabStep,
  warehouseStep,
} from './erp.steps.js';
import { apiKeyStep, apiUserStep, serviceRouteStep } from './gateway.steps.js';
import { runLedgerCheck } from './ledger-check.js';
import { createProgress, type ProgressStyle } from './progress.js';
import { buildReport, reportCsv, type HarshaReport } from './report.js';
import { importLog } from './run-log.js';
import { runSteps, type Mode } from './runner.js';
import { openSource, type SourceDatabase } from './source.js';
import type { HarshaDatabase, Step } from './step.js';
import { SYNC_HISTORY_TABLES, syncConfigurationStep } from './sync.steps.js';
import { activeRoutes, configurationNames } from './targets.js';

/** Parents before children, so every foreign key finds its row in the same or an earlier chunk. */
export const HARSHA_STEPS: readonly Step[] = [
  itemStep,
  warehouseStep,
  customerStep,
  segmentStep,
  assignmentStep,
  batchStep,
  orphanMovementStep,
  pricingRuleStep,
  pricingRuleItemStep,
  volumeSlabStep,
  apiUserStep,
  apiKeyStep,
  serviceRouteStep,
  syncConfigurationStep,
];

export interface HarshaImportOptions {
  erpFrom?: string;
  gatewayFrom?: string;
  syncFrom?: string;
  mode: Mode;
  chunkSize: number;
  reportCsv?: string;
  progress: ProgressStyle;
  dataDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
}

/**
 * `tributary import harsha`: reads the Harsha Delights originals (ERPNext extension tables on
 * MariaDB, the gateway's and the sync service's PostgreSQL) and maps them onto the erp,
 * gateway and sync databases, resolved as `migrate` does. A dry run (the default) opens no
 * target that does not exist yet and writes nothing; --apply migrates the targets first.
 */
export async function importHarsha(options: HarshaImportOptions): Promise<HarshaReport> {
  const urls: Partial<Record<HarshaDatabase, string>> = { erp: options.erpFrom, gateway: options.gatewayFrom, sync: options.syncFrom };
  const sources: Partial<Record<HarshaDatabase, SourceDatabase>> = {};
  const targets: Partial<Record<HarshaDatabase, AnyDatabase>> = {};
  const progress = createProgress(options.progress);
  try {
    for (const [name, url] of Object.entries(urls) as [HarshaDatabase, string | undefined][]) {
      if (!url) continue;
      sources[name] = await openSource(name, url);
      const target = await openTarget(name, options);
      if (target) targets[name] = target;
    }
    const targetState = {
      activeRoutes: targets.gateway ? await activeRoutes(targets.gateway) : new Map<string, string>(),
      configurationNames: targets.sync ? await configurationNames(targets.sync) : new Map<string, string>(),
    };
    const output = await runSteps({
      mode: options.mode,
      chunkSize: options.chunkSize,
      steps: HARSHA_STEPS,
      sources,
      targets,
      targetState,
      log: importLog,
      progress,
    });
    progress.stop();
    const notImported = [];
    if (sources.sync) {
      for (const table of SYNC_HISTORY_TABLES) {
        if (!(await sources.sync.hasTable(table))) continue;
        const rows = await sources.sync.count(table);
        if (rows > 0)
          notImported.push({ table, rows, reason: 'history the original service never read back; kept in the original database' });
      }
    }
    const ledgerCheck = options.mode === 'apply' && targets.erp ? await runLedgerCheck(targets.erp) : null;
    const report = buildReport({
      mode: options.mode,
      resumed: output.resumed,
      steps: output.steps,
      faults: output.faults,
      newLogEntries: output.newLogEntries,
      notImported,
      ledgerCheck,
    });
    for (const [name, runId] of Object.entries(output.runIds) as [HarshaDatabase, string][]) {
      await importLog.finish(targets[name]!, runId, { totals: report.totals, decisions: report.decisions, ledgerCheck });
    }
    if (options.reportCsv) await writeFile(options.reportCsv, reportCsv(report));
    return report;
  } finally {
    progress.stop();
    for (const source of Object.values(sources)) await source.close();
    for (const target of Object.values(targets)) await target.close();
  }
}

/**
 * The service's database as `migrate` resolves it. A dry run leaves a missing embedded
 * directory missing (creating it would be a write) and reads what is there unmigrated.
 */
async function openTarget(name: HarshaDatabase, options: HarshaImportOptions): Promise<Database | undefined> {
  // Not DATABASE_URL as `migrate` also reads: one import fills three databases.
  const variables = [`${name.toUpperCase()}_DATABASE_URL`];
  const dataDir = resolve(options.dataDir);
  if (
    options.mode === 'dry-run' &&
    !variables.some((variable) => options.env[variable]) &&
    !(await exists(join(dataDir, name, 'PG_VERSION')))
  ) {
    return undefined;
  }
  const { database } = await openServiceDatabase(name, dataDir, options.env, options.logger, pgliteTemplateOnce(), variables);
  if (options.mode === 'apply') {
    const definition = await loadService(name);
    if (!definition) throw new Error(`Service "${name}" is not built in this checkout`);
    await migrateToLatest(database, definition.migrations, { logger: options.logger, service: name });
  }
  return database;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
