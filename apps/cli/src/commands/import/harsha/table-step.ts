import { asDynamic, type AnyDatabase, type AnyKysely } from '@tributary/platform/db';
import { pagesAfter, type RowDecision, type StepFinding, type TableStep } from '../common/run.js';
import { HARSHA_FAULTS, type FaultEntry } from './faults.js';
import { CONSUMPTION_LOG, MOVEMENTS } from './ledger-rebuild.js';
import type { SourceDatabase, SourceRow } from './source.js';
import type { Step, StepContext, TargetInsert } from './step.js';
import { existingKeys, insertRows, tableExists } from './targets.js';

/** `table\0key` of rows a step wrote (or, in a dry run, would write) on behalf of another table's rows: a batch's movements. */
export type Booked = Set<string>;

const id = (table: string, key: string) => `${table}\u0000${key}`;

const finding = (entry: FaultEntry): StepFinding => ({
  sourceTable: entry.sourceTable,
  sourceKey: entry.sourceKey,
  fault: entry.fault,
  decision: entry.decision,
  action: HARSHA_FAULTS[entry.fault].rule,
  detail: entry.detail,
});

/**
 * One harsha step as the frame runs it: rows read in key order, mapped, and the rows Tributary
 * lacks written in the chunk's transaction. A source row is `held` when a finding quarantines
 * or refuses it; findings about other rows (a batch's movements, a table's column set) go with
 * the chunk's first row so they are logged in the same transaction.
 */
export function tableStep(
  step: Step,
  source: SourceDatabase,
  context: StepContext,
  target: AnyDatabase,
  booked: Booked,
): TableStep<SourceRow> {
  let announced = false;
  const present = new Map<string, boolean>();
  const hasTable = async (db: AnyKysely, table: string) => {
    if (!present.has(table)) present.set(table, await tableExists(target, table, db));
    return present.get(table)!;
  };
  return {
    service: step.target,
    sourceTable: step.table,
    targetTable: step.table,
    total: () => source.count(step.table),
    pages: (after, limit) =>
      pagesAfter(
        (from, size) => source.page(step.table, step.key, from ?? undefined, size),
        (row) => String(row[step.key]),
        after,
        limit,
      ),
    keyOf: (row) => String(row[step.key]),
    async process(db: AnyKysely, rows, write): Promise<RowDecision[]> {
      const mapped = await step.map(rows, context);
      const faults = [...(announced || !step.tableFaults ? [] : await step.tableFaults(source)), ...mapped.faults];
      announced = true;
      const fresh = await missing(asDynamic(db), mapped.inserts, (table) => hasTable(db, table));
      if (write)
        await insertRows(
          asDynamic(db),
          mapped.inserts.filter((row) => fresh.has(row)),
        );
      for (const row of mapped.inserts) if (fresh.has(row)) booked.add(id(row.table, row.key));
      const own = new Map<string, FaultEntry[]>();
      const others: FaultEntry[] = [];
      const keys = new Set(rows.map((row) => String(row[step.key])));
      for (const entry of faults) {
        if (entry.sourceTable === step.table && keys.has(entry.sourceKey))
          own.set(entry.sourceKey, [...(own.get(entry.sourceKey) ?? []), entry]);
        else others.push(entry);
      }
      const inserted = new Map(mapped.inserts.filter((row) => row.table === step.table).map((row) => [row.key, row]));
      // Rows another step writes (a batch's movements and consumption logs) are looked for where they land.
      const written = step.table === CONSUMPTION_LOG ? MOVEMENTS : step.table;
      const existing =
        inserted.size < rows.length && (await hasTable(db, written))
          ? await existingKeys(asDynamic(db), written, step.key, [...keys])
          : new Set<string>();
      return rows.map((row, index) => {
        const key = String(row[step.key]);
        const entries = [...(own.get(key) ?? []), ...(index === 0 ? others : [])];
        const findings = entries.map(finding);
        if ((own.get(key) ?? []).some((entry) => entry.decision !== 'fixed')) return { outcome: 'held', findings };
        const insert = inserted.get(key);
        if (insert) return { outcome: fresh.has(insert) ? 'new' : 'unchanged', findings };
        // A movement or consumption log row: written with its batch by the batch step.
        if (booked.has(id(written, key))) return { outcome: 'new', findings };
        return { outcome: existing.has(key) ? 'unchanged' : 'held', findings };
      });
    },
  };
}

/** The rows of a chunk the target does not have yet (all of them where the table is not there yet, in a dry run before migrating). */
async function missing(
  db: ReturnType<typeof asDynamic>,
  inserts: readonly TargetInsert[],
  hasTable: (table: string) => Promise<boolean>,
): Promise<Set<TargetInsert>> {
  const byTable = new Map<string, TargetInsert[]>();
  for (const row of inserts) byTable.set(row.table, [...(byTable.get(row.table) ?? []), row]);
  const fresh = new Set<TargetInsert>();
  for (const [table, rows] of byTable) {
    const present = (await hasTable(table))
      ? await existingKeys(db, table, rows[0]!.keyColumn, [...new Set(rows.map((row) => row.key))])
      : new Set();
    for (const row of rows) if (!present.has(row.key)) fresh.add(row);
  }
  return fresh;
}
