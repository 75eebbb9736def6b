import type { ImportDecision, ImportFinding, ImportMode, ImportSource } from '@tributary/platform/import-log';

/** What one source table came to: rows read, and what became of each. */
export interface TableCount {
  sourceTable: string;
  /** `service.table` the rows go to. */
  target: string;
  read: number;
  /** Written by this run (or, in a dry run, that would be). */
  new: number;
  /** Already in Tributary with the same identifier: left as it is. */
  unchanged: number;
  fixed: number;
  quarantined: number;
  refused: number;
}

/** A finding as the report lists it: the row, the fault, and in words what Tributary does with it. */
export interface ReportFinding extends ImportFinding {
  /** The target service whose import log keeps it. */
  service: string;
  action: string;
}

/** A check run after the rows are in (reconciliation, ledger): part of the report. */
export interface ImportCheck {
  name: string;
  ok: boolean;
  detail: string;
  data?: unknown;
}

export interface ImportReport {
  source: ImportSource;
  mode: ImportMode;
  /** The run in the target databases (service → run id); empty for a dry run, which writes nothing. */
  runs: Record<string, string>;
  /** Services whose run continued an interrupted one. */
  resumed: string[];
  /** Migrations the targets still need (a dry run reports them; --apply runs them first). */
  pendingMigrations: Record<string, string[]>;
  tables: TableCount[];
  findings: ReportFinding[];
  checks: ImportCheck[];
}

export function createImportReport(source: ImportSource, mode: ImportMode): ImportReport {
  return { source, mode, runs: {}, resumed: [], pendingMigrations: {}, tables: [], findings: [], checks: [] };
}

/** The count for a source table, created on first use so tables appear in the order they ran. */
export function tableCount(report: ImportReport, sourceTable: string, target: string): TableCount {
  let count = report.tables.find((t) => t.sourceTable === sourceTable);
  if (!count) {
    count = { sourceTable, target, read: 0, new: 0, unchanged: 0, fixed: 0, quarantined: 0, refused: 0 };
    report.tables.push(count);
  }
  return count;
}

const DECISION_COUNTER: Record<ImportDecision, 'fixed' | 'quarantined' | 'refused'> = {
  fixed: 'fixed',
  quarantined: 'quarantined',
  refused: 'refused',
};

/** Lists a finding once (a resumed run meets logged ones again) and counts it for its table. */
export function addFinding(report: ImportReport, count: TableCount, finding: ReportFinding): void {
  const same = (f: ReportFinding) =>
    f.sourceTable === finding.sourceTable && f.sourceKey === finding.sourceKey && f.fault === finding.fault;
  if (report.findings.some(same)) return;
  report.findings.push(finding);
  count[DECISION_COUNTER[finding.decision]] += 1;
}

/** Findings in a stable order: table, key, fault. Reports and tests compare them as a list. */
export function sortedFindings(report: ImportReport): ReportFinding[] {
  return [...report.findings].sort(
    (a, b) => a.sourceTable.localeCompare(b.sourceTable) || a.sourceKey.localeCompare(b.sourceKey) || a.fault.localeCompare(b.fault),
  );
}

export function failedChecks(report: ImportReport): ImportCheck[] {
  return report.checks.filter((check) => !check.ok);
}
