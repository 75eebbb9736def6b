import { dec } from '@tributary/platform/core';
import { asDynamic, sql, type AnyKysely } from '@tributary/platform/db';
import type { RowDecision, StepFinding, TableStep } from '../common/run.js';
import { countRows, keyOf, keysetPages, rowsMatching, type SourceRow } from './keyset.js';
import { MTP_MATERIALS } from './materials.js';
import type { HeldRows } from './step.js';
import { bagTimes } from './times.js';

/** The trader decisions a batch passes through to reach each status (processing's trader_transition rule). */
const TRADER_PATH: Readonly<Record<string, readonly string[]>> = {
  TRADER_PENDING: ['TRADER_PENDING'],
  TRADER_REQUESTED: ['TRADER_PENDING', 'TRADER_REQUESTED'],
  TRADER_ELEVATED: ['TRADER_PENDING', 'TRADER_REQUESTED', 'TRADER_ELEVATED'],
  TRADER_ALLOWED: ['TRADER_PENDING', 'TRADER_REQUESTED', 'TRADER_ALLOWED'],
  TRADER_BLOCKED: ['TRADER_PENDING', 'TRADER_REQUESTED', 'TRADER_BLOCKED'],
};

interface FinalizeSpec {
  sourceTable: string;
  /** The report's name for the pass, e.g. `blendsheet_batch (status)`. */
  name: string;
  key: readonly string[];
  logKey: (row: SourceRow) => string;
  /** The values the first pass writes, for a dry run (which wrote nothing) to compare with. */
  initial(row: SourceRow): SourceRow;
  /** The target's current values of the chunk's rows, by log key (absent: not there). */
  current(db: AnyKysely, rows: readonly SourceRow[]): Promise<Map<string, SourceRow>>;
  /** Whether the target already matches the original. */
  matches(current: SourceRow, row: SourceRow): boolean;
  update(db: AnyKysely, changes: readonly { current: SourceRow; row: SourceRow }[]): Promise<void>;
  /** Per chunk: values the update needs beyond the original row, and findings, by log key. */
  prepare?(rows: readonly SourceRow[]): Promise<Map<string, { extra: SourceRow; findings: StepFinding[] }>>;
}

/** A second pass over a table: the state the rules only let a row reach after its dependants exist. */
function finalizeStep(source: AnyKysely, held: HeldRows, spec: FinalizeSpec): TableStep<SourceRow> {
  return {
    service: 'processing',
    sourceTable: spec.name,
    targetTable: spec.sourceTable,
    total: () => countRows(source, spec.sourceTable),
    pages: (after, limit) => keysetPages({ db: source, table: spec.sourceTable, key: spec.key }, after, limit),
    keyOf: keyOf(spec.key),
    async process(db, rows, write): Promise<RowDecision[]> {
      const wanted = rows.filter((row) => !held.has(`${spec.sourceTable}:${spec.logKey(row)}`));
      const current = await spec.current(db, wanted).catch((error: unknown) => {
        if (!write && (error as { code?: unknown }).code === '42P01') return new Map<string, SourceRow>();
        throw error;
      });
      const prepared = (await spec.prepare?.(wanted)) ?? new Map<string, { extra: SourceRow; findings: StepFinding[] }>();
      const changes: { current: SourceRow; row: SourceRow }[] = [];
      const decisions = rows.map((row): RowDecision => {
        if (held.has(`${spec.sourceTable}:${spec.logKey(row)}`)) return { outcome: 'held', findings: [] };
        const now = current.get(spec.logKey(row));
        const { extra = {}, findings = [] } = prepared.get(spec.logKey(row)) ?? {};
        if (spec.matches(now ?? spec.initial(row), row)) return { outcome: 'unchanged', findings };
        if (now) changes.push({ current: now, row: { ...row, ...extra } });
        return { outcome: 'new', findings };
      });
      if (write && changes.length > 0) await spec.update(db, changes);
      return decisions;
    },
  };
}

const ITEM_KEY = ['item_code', 'created_ts'] as const;
const itemKey = (row: SourceRow) => `${String(row.item_code)}/${String(row.created_ts)}`;

async function batchState(
  db: AnyKysely,
  table: 'blendsheet_batch' | 'flavorsheet_batch',
  rows: readonly SourceRow[],
): Promise<Map<string, SourceRow>> {
  const columns = table === 'blendsheet_batch' ? ['trader_status', 'completed'] : ['completed'];
  const found = await rowsMatching(db, table, ITEM_KEY, rows, [...ITEM_KEY, ...columns]);
  return new Map(found.map((r) => [itemKey(r), r]));
}

export function batchFinalizeSteps(source: AnyKysely, held: HeldRows): TableStep<SourceRow>[] {
  return [
    finalizeStep(source, held, {
      sourceTable: 'blendsheet_batch',
      name: 'blendsheet_batch (trader, completed)',
      key: ITEM_KEY,
      logKey: itemKey,
      initial: () => ({ trader_status: null, completed: false }),
      current: (db, rows) => batchState(db, 'blendsheet_batch', rows),
      matches: (current, row) => current.trader_status === row.trader_status && current.completed === row.completed,
      update: async (db, changes) => {
        for (const { current, row } of changes) {
          const path = row.trader_status ? (TRADER_PATH[String(row.trader_status)] ?? []) : [];
          const from = current.trader_status ? path.indexOf(String(current.trader_status)) + 1 : 0;
          const where = sql`where item_code = ${row.item_code} and created_ts = ${row.created_ts}`;
          for (const status of path.slice(from))
            await sql`update blendsheet_batch set trader_status = ${status} ${where}`.execute(asDynamic(db));
          await sql`update blendsheet_batch set completed = ${row.completed} ${where}`.execute(asDynamic(db));
        }
      },
    }),
    finalizeStep(source, held, {
      sourceTable: 'flavorsheet_batch',
      name: 'flavorsheet_batch (completed)',
      key: ITEM_KEY,
      logKey: itemKey,
      initial: () => ({ completed: false }),
      current: (db, rows) => batchState(db, 'flavorsheet_batch', rows),
      matches: (current, row) => current.completed === row.completed,
      update: async (db, changes) => {
        for (const { row } of changes) {
          await sql`update flavorsheet_batch set completed = ${row.completed} where item_code = ${row.item_code} and created_ts = ${row.created_ts}`.execute(
            asDynamic(db),
          );
        }
      },
    }),
  ];
}

/**
 * Each bag's stored status and remaining weight, once every allocation of it is in: one statement
 * per chunk, with the times the originals give for PROCESSED and DISPATCHED (times.ts).
 */
export function recordFinalizeSteps(source: AnyKysely, ordersSource: AnyKysely, held: HeldRows): TableStep<SourceRow>[] {
  return MTP_MATERIALS.map(({ material }) => {
    const table = `${material}_record`;
    return finalizeStep(source, held, {
      sourceTable: table,
      name: `${table} (status, remaining)`,
      key: ['received_ts', 'barcode'],
      logKey: (row) => String(row.barcode),
      initial: (row) => ({ status: 'ACCEPTED', remaining: dec(String(row.gross_weight)).minus(String(row.bag_weight)).toFixed(2) }),
      current: async (db, rows) => {
        if (rows.length === 0) return new Map();
        const { rows: found } =
          await sql<SourceRow>`select barcode::text as barcode, status, remaining::text as remaining from ${sql.table(table)}
          where barcode in (${sql.join(rows.map((r) => sql`${r.barcode}::uuid`))})`.execute(asDynamic(db));
        return new Map(found.map((r) => [String(r.barcode), r]));
      },
      matches: (current, row) => current.status === row.status && dec(String(current.remaining)).equals(String(row.remaining)),
      prepare: async (rows) => {
        const times = await bagTimes(source, ordersSource, material, rows);
        return new Map(
          [...times].map(([barcode, t]) => [
            barcode,
            { extra: { processed_ms: t.processed_ms, dispatched_ms: t.dispatched_ms }, findings: t.findings },
          ]),
        );
      },
      update: async (db, changes) => {
        const values = sql.join(
          changes.map(
            ({ row }) =>
              sql`(${row.barcode}::uuid, ${row.status}::text, ${row.remaining}::numeric, ${row.processed_ms ?? null}::bigint, ${row.dispatched_ms ?? null}::bigint)`,
          ),
        );
        // Lets processing's record_update keep the given times instead of stamping its clock (migration 0007).
        await sql`select set_config('tributary.import_times', 'on', true)`.execute(asDynamic(db));
        await sql`update ${sql.table(table)} as r set status = v.status, remaining = v.remaining,
            processed_at = timestamptz 'epoch' + v.processed_ms * interval '1 millisecond',
            dispatched_at = timestamptz 'epoch' + v.dispatched_ms * interval '1 millisecond'
          from (values ${values}) as v(barcode, status, remaining, processed_ms, dispatched_ms) where r.barcode = v.barcode`.execute(
          asDynamic(db),
        );
      },
    });
  });
}
