import { asDynamic, type AnyDatabase } from '@tributary/platform/db';
import type { LedgerCheck } from './report.js';

/** erp's own ledger audit (ADR 0302), loaded when an import has written batches. */
interface LedgerModule {
  checkLedger(db: unknown, batch: string): Promise<{ batch: string; available_qty: string; ledger_sum: string; consistent: boolean }>;
}

const PAGE = 1000;

/** Runs erp's batch ledger check over every batch in the target, a page of names at a time. */
export async function runLedgerCheck(database: AnyDatabase): Promise<LedgerCheck> {
  const { checkLedger } = (await import(import.meta.resolve('@tributary/erp/ledger'))) as LedgerModule;
  const db = asDynamic(database.db);
  const result: LedgerCheck = { batches: 0, consistent: 0, inconsistent: [] };
  let after = '';
  for (;;) {
    const names = await db.selectFrom('tabHD Batch Master').select('name').where('name', '>', after).orderBy('name').limit(PAGE).execute();
    if (names.length === 0) return result;
    for (const { name } of names) {
      const check = await checkLedger(database.db, String(name));
      result.batches += 1;
      if (check.consistent) result.consistent += 1;
      else result.inconsistent.push({ batch: check.batch, available_qty: check.available_qty, ledger_sum: check.ledger_sum });
    }
    after = String(names[names.length - 1]!.name);
  }
}
