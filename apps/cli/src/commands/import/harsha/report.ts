import { HARSHA_FAULTS, type Decision, type FaultEntry, type HarshaFault } from './faults.js';
import type { Mode, StepResult } from './runner.js';

export interface LedgerCheck {
  batches: number;
  consistent: number;
  inconsistent: { batch: string; available_qty: string; ledger_sum: string }[];
}

export interface HarshaReport {
  source: 'harsha';
  mode: Mode;
  resumed: boolean;
  steps: StepResult[];
  totals: { read: number; new: number; unchanged: number; heldBack: number };
  decisions: Record<Decision, number>;
  byFault: Partial<Record<HarshaFault, number>>;
  faults: FaultEntry[];
  newLogEntries: number;
  /** Original tables that hold only history, with their row counts: not moved. */
  notImported: { table: string; rows: number; reason: string }[];
  /** After --apply: the erp batch ledger check (ADR 0302) over every batch in the target. */
  ledgerCheck: LedgerCheck | null;
}

export function buildReport(input: Omit<HarshaReport, 'source' | 'totals' | 'decisions' | 'byFault'>): HarshaReport {
  const totals = { read: 0, new: 0, unchanged: 0, heldBack: 0 };
  for (const step of input.steps) {
    totals.read += step.read;
    totals.heldBack += step.heldBack;
    for (const table of step.tables) {
      totals.new += table.new;
      totals.unchanged += table.unchanged;
    }
  }
  const decisions: Record<Decision, number> = { fixed: 0, quarantined: 0, refused: 0 };
  const byFault: Partial<Record<HarshaFault, number>> = {};
  for (const entry of input.faults) {
    decisions[entry.decision] += 1;
    byFault[entry.fault] = (byFault[entry.fault] ?? 0) + 1;
  }
  return { source: 'harsha', ...input, totals, decisions, byFault };
}

export function reportText(report: HarshaReport): string {
  const lines = [`Harsha Delights import (${report.mode}${report.resumed ? ', resumed' : ''})`, ''];
  for (const step of report.steps) {
    const tables = step.tables.map((t) => `${t.table}: ${t.new} new, ${t.unchanged} unchanged`).join('; ') || 'nothing to write';
    lines.push(
      `  ${step.step.padEnd(44)} ${String(step.read).padStart(8)} read  ${String(step.heldBack).padStart(5)} held back  ${tables}`,
    );
  }
  lines.push('');
  lines.push(
    `Total: ${report.totals.read} rows read, ${report.totals.new} new, ${report.totals.unchanged} unchanged, ${report.totals.heldBack} held back`,
  );
  lines.push(
    `Decisions: ${report.decisions.fixed} fixed, ${report.decisions.quarantined} quarantined, ${report.decisions.refused} refused`,
  );
  for (const [code, n] of Object.entries(report.byFault)) {
    const known = HARSHA_FAULTS[code as HarshaFault];
    lines.push(`  ${code.padEnd(26)} ${String(n).padStart(6)}  ${known.decision.padEnd(11)} ${known.rule}`);
  }
  const heldBack = report.faults.filter((f) => f.decision !== 'fixed');
  if (heldBack.length > 0) {
    lines.push('', 'Held back:');
    for (const entry of heldBack.slice(0, 50))
      lines.push(`  ${entry.decision.padEnd(11)} ${entry.sourceTable} ${entry.sourceKey}: ${entry.fault}`);
    if (heldBack.length > 50) lines.push(`  … ${heldBack.length - 50} more (--report-csv lists them all)`);
  }
  for (const table of report.notImported) lines.push(`Not imported: ${table.table} (${table.rows} rows): ${table.reason}`);
  if (report.ledgerCheck) {
    const check = report.ledgerCheck;
    lines.push(
      `Ledger check: ${check.consistent} of ${check.batches} batches consistent${check.inconsistent.length ? `, ${check.inconsistent.length} NOT` : ''}`,
    );
  } else lines.push('Ledger check: not run (nothing written in a dry run)');
  lines.push(`Import log: ${report.newLogEntries} new entries`);
  return `${lines.join('\n')}\n`;
}

const CSV_COLUMNS = ['source_table', 'source_key', 'fault', 'decision', 'rule', 'detail'] as const;

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One line per fault found, held back or fixed, with the original row in the detail. */
export function reportCsv(report: HarshaReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of report.faults) {
    const { rule, ...detail } = entry.detail;
    lines.push(
      [entry.sourceTable, entry.sourceKey, entry.fault, entry.decision, String(rule ?? ''), JSON.stringify(detail)].map(csvField).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
