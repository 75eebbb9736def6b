import type { MachineFacts } from './machine.js';
import type { RoundMetrics, ScenarioResult, VariantRole } from './types.js';

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface VariantSummary {
  name: string;
  role: VariantRole;
  rounds: RoundMetrics[];
  rps: Spread;
  p50: Spread;
  p99: Spread;
  /**
   * Median over median, both from this run: comparing with a baseline from another run or
   * machine would mostly measure the difference between runs. Absent on the baseline itself.
   */
  vsBaseline?: { throughput: number; p99: number };
}

export interface Report {
  scenario: string;
  description: string;
  startedAt: string;
  finishedAt: string;
  parameters: Record<string, unknown>;
  machine: MachineFacts;
  variants: VariantSummary[];
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

export function summarise(result: ScenarioResult): VariantSummary[] {
  const baselines = result.variants.filter((variant) => variant.role === 'baseline');
  if (baselines.length !== 1) throw new Error(`a result needs exactly one baseline variant, found ${baselines.length}`);
  const empty = result.variants.find((variant) => variant.rounds.length === 0);
  if (empty) throw new Error(`variant ${empty.name} has no rounds`);

  const summaries = result.variants.map((variant) => ({
    name: variant.name,
    role: variant.role,
    rounds: variant.rounds,
    rps: spread(variant.rounds.map((round) => round.rps)),
    p50: spread(variant.rounds.map((round) => round.p50)),
    p99: spread(variant.rounds.map((round) => round.p99)),
  }));
  const base = summaries.find((summary) => summary.role === 'baseline')!;
  return summaries.map((summary) =>
    summary.role === 'baseline'
      ? summary
      : { ...summary, vsBaseline: { throughput: summary.rps.median / base.rps.median, p99: summary.p99.median / base.p99.median } },
  );
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const millis = (value: number) => value.toFixed(value >= 10 ? 1 : 3);
const triple = (s: Spread, format: (value: number) => string) => `${format(s.min)} / ${format(s.median)} / ${format(s.max)}`;

export function renderTable(variants: VariantSummary[]): string {
  const header = [
    'variant',
    'req/s  min / median / max',
    'p50 ms  min / median / max',
    'p99 ms  min / median / max',
    'req/s vs base',
    'p99 vs base',
  ];
  const rows = variants.map((v) => [
    v.role === 'baseline' ? `${v.name} (baseline)` : v.name,
    triple(v.rps, integer),
    triple(v.p50, millis),
    triple(v.p99, millis),
    v.vsBaseline ? `${v.vsBaseline.throughput.toFixed(2)}x` : '-',
    v.vsBaseline ? `${v.vsBaseline.p99.toFixed(2)}x` : '-',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
