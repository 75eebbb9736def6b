import { asDynamic, type AnyDatabase } from '@tributary/platform/db';
import type { ImportCheck } from '../common/report.js';

/** erp's own ledger audit (ADR 0302), loaded when an import has written batches. */
interface LedgerModule {
  checkLedger(db: unknown, batch: string): Promise<{ batch: string; available_qty: string; ledger_sum: string; consistent: boolean }>;
}

const PAGE = 1000;

/** erp's batch ledger check over every batch in the target, a page of names at a time. */
export async function ledgerCheck(database: AnyDatabase): Promise<ImportCheck> {
  const { checkLedger } = (await import(import.meta.resolve('@tributary/erp/ledger'))) as LedgerModule;
  const db = asDynamic(database.db);
  let batches = 0;
  const inconsistent: { batch: string; available_qty: string; ledger_sum: string }[] = [];
  let after = '';
  for (;;) {
    const names = await db.selectFrom('tabHD Batch Master').select('name').where('name', '>', after).orderBy('name').limit(PAGE).execute();
    if (names.length === 0) break;
    for (const { name } of names) {
      const check = await checkLedger(database.db, String(name));
      batches += 1;
      if (!check.consistent) inconsistent.push({ batch: check.batch, available_qty: check.available_qty, ledger_sum: check.ledger_sum });
    }
    after = String(names[names.length - 1]!.name);
  }
  return {
    name: 'erp batch ledger',
    ok: inconsistent.length === 0,
    detail: `${batches - inconsistent.length} of ${batches} batches: balance = sum of movements, chain unbroken`,
    data: { batches, consistent: batches - inconsistent.length, inconsistent },
  };
}
