import type { Kysely } from '@tributary/platform/db';
import { Gauge, type Registry } from 'prom-client';
import type { ProcessingDb } from '../../db/schema.js';
import { lastCompletedReport } from './reports.repository.js';
import { REPORT_DIFFERENCE_KINDS } from './reports.service.js';

/**
 * The last completed reconciliation, read from the database on scrape, so every replica shows
 * the same report whichever process ran it (alerts aggregate with max). No sample before the
 * first completed run: "never ran" is the absence the staleness alert looks for.
 */
export function registerReconciliationMetrics(registry: Registry, db: Kysely<ProcessingDb>): void {
  new Gauge({
    name: 'mtp_reconciliation_differences',
    help: 'Differences of the last completed MTP reconciliation, per kind',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const report = await lastCompletedReport(db);
      if (!report) return;
      for (const kind of REPORT_DIFFERENCE_KINDS) this.set({ kind }, report[kind]);
    },
  });
  new Gauge({
    name: 'mtp_reconciliation_last_run_timestamp_seconds',
    help: 'When the last completed MTP reconciliation finished (Unix seconds)',
    registers: [registry],
    async collect() {
      const report = await lastCompletedReport(db);
      if (report?.finished_at) this.set(report.finished_at.getTime() / 1000);
    },
  });
}
