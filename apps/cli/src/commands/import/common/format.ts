import { writeFile } from 'node:fs/promises';
import { failedChecks, sortedFindings, type ImportReport } from './report.js';

/** The console report: per table what happened, then every held-back or changed row, then the checks. */
export function formatImportText(report: ImportReport): string {
  const lines: string[] = [];
  const title = report.mode === 'dry-run' ? 'DRY RUN: nothing was written' : 'APPLIED';
  lines.push(`Import ${report.source}: ${title}`);
  for (const [service, pending] of Object.entries(report.pendingMigrations)) {
    if (pending.length > 0) lines.push(`  ${service}: ${pending.length} migration(s) to run first`);
  }
  for (const service of report.resumed) lines.push(`  ${service}: continued an interrupted run`);
  lines.push('');
  const header = ['source table', 'target', 'read', 'new', 'unchanged', 'fixed', 'quarantined', 'refused'];
  const rows = report.tables.map((t) => [
    t.sourceTable,
    t.target,
    String(t.read),
    String(t.new),
    String(t.unchanged),
    String(t.fixed),
    String(t.quarantined),
    String(t.refused),
  ]);
  lines.push(...table(header, rows));
  const findings = sortedFindings(report);
  if (findings.length > 0) {
    lines.push('', `Findings (${findings.length}):`);
    lines.push(
      ...table(
        ['table', 'key', 'fault', 'decision', 'what Tributary does'],
        findings.map((f) => [f.sourceTable, f.sourceKey, f.fault, f.decision, f.action]),
      ),
    );
  }
  if (report.checks.length > 0) {
    lines.push('', 'Checks:');
    for (const check of report.checks) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  }
  const totals = report.tables.reduce(
    (sum, t) => ({ read: sum.read + t.read, new: sum.new + t.new, unchanged: sum.unchanged + t.unchanged }),
    { read: 0, new: 0, unchanged: 0 },
  );
  const verb = report.mode === 'dry-run' ? 'would be new' : 'new';
  lines.push(
    '',
    `${totals.read} rows read: ${totals.new} ${verb}, ${totals.unchanged} unchanged, ${findings.length} findings` +
      (failedChecks(report).length > 0 ? `, ${failedChecks(report).length} check(s) failed` : ''),
  );
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].map((l) => `  ${l}`);
}

const CSV_HEADER = ['source', 'mode', 'service', 'source_table', 'source_key', 'fault', 'decision', 'action', 'detail'];

/** One line per finding, RFC 4180 quoting, the original row as JSON in the last column. */
export function importReportCsv(report: ImportReport): string {
  const rows = sortedFindings(report).map((f) => [
    report.source,
    report.mode,
    f.service,
    f.sourceTable,
    f.sourceKey,
    f.fault,
    f.decision,
    f.action,
    JSON.stringify(f.detail),
  ]);
  return [CSV_HEADER, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  // A leading = + - @ would be read as a formula by spreadsheet programs.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export async function writeImportReportCsv(file: string, report: ImportReport): Promise<void> {
  await writeFile(file, importReportCsv(report), 'utf8');
}
