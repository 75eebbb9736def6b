import { asDynamic, type AnyDatabase, type DynamicSchema, type Kysely } from '@tributary/platform/db';
import type { FaultEntry } from './faults.js';
import type { RunLog } from './run-log.js';
import type { SourceDatabase } from './source.js';
import type { HarshaDatabase, Step, StepContext, TargetInsert, TargetState } from './step.js';
import { existingKeys, insertRows, tableExists } from './targets.js';

export type Mode = 'dry-run' | 'apply';

/**
 * Where each step stopped (the last source key a committed chunk covered) and what it counted
 * up to there, so a resumed run reports the whole import, not only its own part.
 */
export type Checkpoint = Record<string, { after?: string; done?: boolean; result?: StepResult }>;

export interface TableCount {
  table: string;
  new: number;
  unchanged: number;
}

export interface StepResult {
  step: string;
  source: string;
  read: number;
  heldBack: number;
  tables: TableCount[];
}

export interface Progress {
  start(step: Step, total: number, done: number): void;
  advance(step: Step, rows: number): void;
  chunkCommitted(step: Step, after: string): void;
  stop(): void;
}

export interface RunInput {
  mode: Mode;
  chunkSize: number;
  steps: readonly Step[];
  sources: Partial<Record<HarshaDatabase, SourceDatabase>>;
  /** Absent in a dry run whose target does not exist yet: everything would be new. */
  targets: Partial<Record<HarshaDatabase, AnyDatabase>>;
  targetState: TargetState;
  log: RunLog;
  progress: Progress;
}

export interface RunOutput {
  steps: StepResult[];
  faults: FaultEntry[];
  /** Log entries written in this run (0 in a dry run and on a rerun). */
  newLogEntries: number;
  runIds: Partial<Record<HarshaDatabase, string>>;
  /** An interrupted run was continued. */
  resumed: boolean;
}

/**
 * Runs the steps in order, a chunk of source rows at a time. With --apply each chunk is one
 * transaction on its target: the rows not there yet, the chunk's log entries and the step's
 * checkpoint, so a killed import resumes after the last committed chunk and a finished one,
 * run again, finds every row and entry in place. A dry run does the same reads and lookups and
 * writes nothing.
 */
export async function runSteps(input: RunInput): Promise<RunOutput> {
  const output: RunOutput = { steps: [], faults: [], newLogEntries: 0, runIds: {}, resumed: false };
  const reported = new Set<string>();
  const report = (faults: readonly FaultEntry[]) => {
    for (const entry of faults) {
      const id = `${entry.sourceTable}\u0000${entry.sourceKey}\u0000${entry.fault}`;
      if (reported.has(id)) continue;
      reported.add(id);
      output.faults.push(entry);
    }
  };
  const checkpoints: Partial<Record<HarshaDatabase, Checkpoint>> = {};
  if (input.mode === 'apply') {
    for (const [name, database] of Object.entries(input.targets) as [HarshaDatabase, AnyDatabase][]) {
      const run = await input.log.begin(database, 'harsha');
      output.runIds[name] = run.runId;
      checkpoints[name] = run.checkpoint as Checkpoint;
      // What the interrupted part found is in the log already; the report covers the whole import.
      if (run.resumed) {
        output.resumed = true;
        report(await input.log.entries(database, run.runId));
      }
    }
  }
  const parentCache = new Map<string, Promise<Set<string>>>();
  const context: StepContext = {
    sources: input.sources,
    targetState: input.targetState,
    parentKeys(database, table, key) {
      const id = `${database}.${table}.${key}`;
      let keys = parentCache.get(id);
      if (!keys) {
        const source = input.sources[database];
        keys = source ? source.keys(table, key) : Promise.resolve(new Set());
        parentCache.set(id, keys);
      }
      return keys;
    },
  };
  const presentTables = new Map<string, boolean>();
  for (const step of input.steps) {
    const source = input.sources[step.source];
    if (!source || !(await source.hasTable(step.table))) continue;
    const checkpoint = (checkpoints[step.target] ??= {});
    const state = (checkpoint[step.id] ??= {});
    const result = (state.result ??= { step: step.id, source: step.table, read: 0, heldBack: 0, tables: [] });
    output.steps.push(result);
    const target = input.targets[step.target];
    const total = await source.count(step.table);
    input.progress.start(step, total, state.done ? total : 0);
    let pendingFaults = step.tableFaults ? await step.tableFaults(source) : [];
    let after = state.after;
    while (!state.done) {
      const rows = await source.page(step.table, step.key, after, input.chunkSize);
      if (rows.length === 0) {
        state.done = true;
        if (input.mode === 'apply' && target) await commit(input, target, step, [], pendingFaults, checkpoint, output);
        report(pendingFaults);
        break;
      }
      const mapped = await step.map(rows, context);
      const faults = [...pendingFaults, ...mapped.faults];
      pendingFaults = [];
      after = String(rows[rows.length - 1]![step.key]);
      state.after = after;
      result.read += rows.length;
      // Every source row the chunk holds back, a batch's movements included.
      result.heldBack += new Set(faults.filter((f) => f.decision !== 'fixed').map((f) => `${f.sourceTable}\u0000${f.sourceKey}`)).size;
      report(faults);
      if (input.mode === 'apply' && target) await commit(input, target, step, mapped.inserts, faults, checkpoint, output);
      else count(result, mapped.inserts, await wouldInsert(target, mapped.inserts, presentTables));
      input.progress.advance(step, rows.length);
      if (input.mode === 'apply') input.progress.chunkCommitted(step, after);
    }
  }
  return output;
}

async function commit(
  input: RunInput,
  target: AnyDatabase,
  step: Step,
  inserts: TargetInsert[],
  faults: FaultEntry[],
  checkpoint: Checkpoint,
  output: RunOutput,
): Promise<void> {
  const runId = output.runIds[step.target]!;
  await asDynamic(target.db)
    .transaction()
    .execute(async (trx) => {
      const fresh = await missing(trx, inserts);
      await insertRows(
        trx,
        inserts.filter((row) => fresh.has(row)),
      );
      count(checkpoint[step.id]!.result!, inserts, fresh);
      output.newLogEntries += await input.log.record(trx, runId, 'harsha', faults);
      await input.log.checkpoint(trx, runId, checkpoint);
    });
}

/** The rows of a chunk the target does not have yet. */
async function missing(db: Kysely<DynamicSchema>, inserts: readonly TargetInsert[]): Promise<Set<TargetInsert>> {
  const byTable = new Map<string, TargetInsert[]>();
  for (const row of inserts) byTable.set(row.table, [...(byTable.get(row.table) ?? []), row]);
  const fresh = new Set<TargetInsert>();
  for (const [table, rows] of byTable) {
    const present = await existingKeys(db, table, rows[0]!.keyColumn, [...new Set(rows.map((row) => row.key))]);
    for (const row of rows) if (!present.has(row.key)) fresh.add(row);
  }
  return fresh;
}

async function wouldInsert(
  target: AnyDatabase | undefined,
  inserts: readonly TargetInsert[],
  presentTables: Map<string, boolean>,
): Promise<Set<TargetInsert>> {
  if (!target) return new Set(inserts);
  const tables = new Set(inserts.map((row) => row.table));
  for (const table of tables) if (!presentTables.has(table)) presentTables.set(table, await tableExists(target, table));
  return missing(
    asDynamic(target.db),
    inserts.filter((row) => presentTables.get(row.table)),
  ).then((fresh) => new Set(inserts.filter((row) => fresh.has(row) || !presentTables.get(row.table))));
}

function count(result: StepResult, inserts: readonly TargetInsert[], fresh: Set<TargetInsert>): void {
  for (const row of inserts) {
    let entry = result.tables.find((t) => t.table === row.table);
    if (!entry) result.tables.push((entry = { table: row.table, new: 0, unchanged: 0 }));
    if (fresh.has(row)) entry.new += 1;
    else entry.unchanged += 1;
  }
}
