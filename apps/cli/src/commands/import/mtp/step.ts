import { asDynamic, sql, type AnyKysely, type RawBuilder } from '@tributary/platform/db';
import type { RowDecision, StepFinding, TableStep } from '../common/run.js';
import { countRows, displayKey, existingKeys, insertRows, keyOf, keysetPages, type SourceRow } from './keyset.js';

/** Rows held back so far (quarantined or refused), as `table:key`: their dependants are held too. */
export type HeldRows = Set<string>;

export interface Mapped {
  /** The target row; absent when the row is held back. */
  row?: SourceRow;
  findings: StepFinding[];
}

export interface MtpStepSpec {
  service: 'orders' | 'processing';
  /** The name in the report and the import log. */
  sourceTable: string;
  /** Where it is read, e.g. `public.order_plan`; defaults to sourceTable. */
  sourceRef?: string;
  targetTable: string;
  source: AnyKysely;
  key: readonly string[];
  /** The target's key columns for the same identity (default: `key`). */
  targetKey?: readonly string[];
  extra?: RawBuilder<unknown>;
  joins?: RawBuilder<unknown>;
  held: HeldRows;
  /** The key the log, the report and dependants use (default: `key` joined with '/'). */
  logKey?: (row: SourceRow) => string;
  map(row: SourceRow, sourceKey: string): Mapped | Promise<Mapped>;
  /** Before mapping a chunk (look-ups for the whole chunk). */
  prepare?(rows: readonly SourceRow[]): Promise<void>;
}

/** The original row as the log keeps it (bigints and numerics as the text they were read as). */
export const original = (row: SourceRow, extra: Record<string, unknown> = {}) => ({ row, ...extra });

export function finding(
  sourceTable: string,
  sourceKey: string,
  fault: string,
  decision: StepFinding['decision'],
  action: string,
  row: SourceRow,
  extra: Record<string, unknown> = {},
): StepFinding {
  return { sourceTable, sourceKey, fault, decision, action, detail: original(row, extra) };
}

type StepOptions = Omit<MtpStepSpec, 'service' | 'sourceTable' | 'targetTable' | 'source' | 'key' | 'held'>;

/** Steps of one service from one source: `table` names both ends, in `defaultSchema` on the source unless qualified. */
export function stepsFor(service: MtpStepSpec['service'], source: AnyKysely, held: HeldRows, defaultSchema?: string) {
  return (table: string, key: readonly string[], options: StepOptions): TableStep<SourceRow> =>
    mtpStep({
      service,
      sourceTable: table,
      sourceRef: defaultSchema && !table.includes('.') ? `${defaultSchema}.${table}` : table,
      targetTable: table,
      source,
      key,
      held,
      ...options,
    });
}

/**
 * One source table onto one target table, keyed by the original identifiers: a row already in
 * the target is unchanged; a row the target's own rules refuse when written (a trigger or check
 * the import's rules did not foresee) is rolled back alone and reported as refused.
 */
export function mtpStep(spec: MtpStepSpec): TableStep<SourceRow> {
  const ref = spec.sourceRef ?? spec.sourceTable;
  const targetKey = spec.targetKey ?? spec.key;
  const show = spec.logKey ?? displayKey(spec.key);
  const showTarget = displayKey(targetKey);
  return {
    service: spec.service,
    sourceTable: spec.sourceTable,
    targetTable: spec.targetTable,
    total: () => countRows(spec.source, ref),
    pages: (after, limit) =>
      keysetPages(
        {
          db: spec.source,
          table: ref,
          key: spec.key,
          ...(spec.extra ? { extra: spec.extra } : {}),
          ...(spec.joins ? { joins: spec.joins } : {}),
        },
        after,
        limit,
      ),
    keyOf: keyOf(spec.key),
    async process(db, rows, write): Promise<RowDecision[]> {
      await spec.prepare?.(rows);
      const mapped: (Mapped & { key: string })[] = [];
      for (const row of rows) {
        const key = show(row);
        mapped.push({ key, ...(await spec.map(row, key)) });
      }
      const candidates = mapped.filter((m) => m.row !== undefined);
      const existing = await existingKeys(
        db,
        spec.targetTable,
        targetKey,
        candidates.map((m) => m.row!),
      ).catch((error: unknown) => {
        // A dry run against a database not yet migrated: nothing is there yet.
        if (!write && isMissingTable(error)) return new Set<string>();
        throw error;
      });
      const fresh = candidates.filter((m) => !existing.has(showTarget(m.row!)));
      const refused = write ? await insertGuarded(db, spec.targetTable, fresh) : new Map<Mapped, string>();
      return mapped.map((m): RowDecision => {
        const reason = refused.get(m);
        if (reason !== undefined) {
          spec.held.add(`${spec.sourceTable}:${m.key}`);
          return {
            outcome: 'held',
            findings: [
              ...m.findings,
              finding(spec.sourceTable, m.key, 'refused_by_tributary', 'refused', `not imported: ${reason}`, rows[mapped.indexOf(m)]!),
            ],
          };
        }
        if (!m.row) {
          spec.held.add(`${spec.sourceTable}:${m.key}`);
          return { outcome: 'held', findings: m.findings };
        }
        return { outcome: existing.has(showTarget(m.row)) ? 'unchanged' : 'new', findings: m.findings };
      });
    },
  };
}

/**
 * All rows in one statement; if the target refuses it, each row alone under a savepoint, so
 * one refused row neither takes the chunk with it nor gets forced in.
 */
async function insertGuarded(db: AnyKysely, table: string, rows: readonly Mapped[]): Promise<Map<Mapped, string>> {
  const refused = new Map<Mapped, string>();
  if (rows.length === 0) return refused;
  const k = asDynamic(db);
  await sql`savepoint import_chunk`.execute(k);
  try {
    await insertRows(
      db,
      table,
      rows.map((m) => m.row!),
    );
    await sql`release savepoint import_chunk`.execute(k);
    return refused;
  } catch (error) {
    if (!isRefusal(error)) throw error;
    await sql`rollback to savepoint import_chunk`.execute(k);
  }
  for (const m of rows) {
    await sql`savepoint import_row`.execute(k);
    try {
      await insertRows(db, table, [m.row!]);
      await sql`release savepoint import_row`.execute(k);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await sql`rollback to savepoint import_row`.execute(k);
      refused.set(m, refusalReason(error));
    }
  }
  return refused;
}

/** Integrity (23…), check/data (22…) and the processing rules' own TR404/TR409. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (/^2[23]/.test(code) || code === 'TR404' || code === 'TR409');
}

function refusalReason(error: unknown): string {
  const e = error as { message?: string; constraint?: string; detail?: string };
  return [e.message, e.constraint ? `(${e.constraint})` : '', e.detail ?? ''].filter(Boolean).join(' ');
}

function isMissingTable(error: unknown): boolean {
  return (error as { code?: unknown }).code === '42P01';
}
