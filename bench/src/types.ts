/** What every scenario receives: the run's parameters, already validated. */
export interface ScenarioContext {
  /** Seconds of measured load per variant per round. */
  duration: number;
  connections: number;
  rounds: number;
  /** Seconds of unrecorded load per variant before the first round, so the JIT is warm. */
  warmup: number;
  /** Progress for the operator; goes to stderr so --json-only output stays parseable. */
  log(message: string): void;
}

/** One measured round of one variant. Latencies in milliseconds. */
export interface RoundMetrics {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

export type VariantRole = 'baseline' | 'subject';

export interface VariantResult {
  name: string;
  role: VariantRole;
  rounds: RoundMetrics[];
}

export interface ScenarioResult {
  /** Exactly one variant is the baseline; the others are compared with it. */
  variants: VariantResult[];
  /** Anything beyond the context that shaped the numbers (payload, route, auth setup). */
  parameters: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}
