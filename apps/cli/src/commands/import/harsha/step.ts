import type { FaultEntry } from './faults.js';
import type { SourceDatabase, SourceRow } from './source.js';

export type HarshaDatabase = 'erp' | 'gateway' | 'sync';

/** One row for a Tributary table, keyed by the original identifier it keeps. */
export interface TargetInsert {
  table: string;
  keyColumn: string;
  key: string;
  values: Record<string, unknown>;
}

export interface Mapped {
  inserts: TargetInsert[];
  faults: FaultEntry[];
}

/** What the steps look up beyond the rows in hand: parents in the original, rows already in Tributary. */
export interface StepContext {
  sources: Partial<Record<HarshaDatabase, SourceDatabase>>;
  /** Keys of parent tables in the original, loaded once (`<database>.<table>`). */
  parentKeys(database: HarshaDatabase, table: string, key: string): Promise<Set<string>>;
  /** Rows the target already has that a step must not collide with (active routes, configuration names). */
  targetState: TargetState;
}

export interface TargetState {
  /** `METHOD path` of active gateway routes → their route_id. */
  activeRoutes: Map<string, string>;
  /** sync configuration name → config_id. */
  configurationNames: Map<string, string>;
}

/** One original table mapped onto Tributary, a chunk at a time, in key order. */
export interface Step {
  id: string;
  source: HarshaDatabase;
  table: string;
  key: string;
  target: HarshaDatabase;
  /** Faults of the table as a whole (its column set), found before its rows. */
  tableFaults?(source: SourceDatabase): Promise<FaultEntry[]>;
  map(rows: SourceRow[], context: StepContext): Promise<Mapped>;
}

/** A step's identity: one original table, read in `key` order, into the Tributary database of the same name. */
export function stepOf(database: HarshaDatabase, table: string, key: string): Pick<Step, 'id' | 'source' | 'table' | 'key' | 'target'> {
  return { id: `${database}:${table}`, source: database, table, key, target: database };
}
