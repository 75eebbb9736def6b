import type { ErpDeps } from '../../shared/context.js';
import { monthLabel, monthOf, monthStart, PARTITIONED, type PartitionedTable } from '../../db/partitions.js';
import * as repo from './partitions.repository.js';

type Deps = Pick<ErpDeps, 'db' | 'dialect' | 'config'>;

export interface TableMaintenance {
  table: string;
  retention_months: number;
  created: string[];
  dropped: string[];
  /** Batches whose ledger opening moved forward (ledger only). */
  openings_carried: number;
  months: string[];
}

/**
 * Partition upkeep (ADR 0309): the current month and PARTITION_PREMAKE_MONTHS ahead exist, so
 * rows land in their own month rather than the catch-all; months wholly older than the
 * retention are dropped, the ledger's batches first carrying their balance forward. Safe to
 * run again at any time: what exists is left, what is gone stays gone.
 */
export async function maintainPartitions(deps: Deps, now: number): Promise<{ at: string; tables: TableMaintenance[] }> {
  const current = monthOf(new Date(now));
  const policies: [PartitionedTable, number][] = [
    [PARTITIONED.ledger, deps.config.LEDGER_RETENTION_MONTHS],
    [PARTITIONED.pricingLog, deps.config.PRICING_LOG_RETENTION_MONTHS],
  ];
  const tables: TableMaintenance[] = [];
  for (const [t, retention] of policies) {
    const out: TableMaintenance = {
      table: t.table,
      retention_months: retention,
      created: [],
      dropped: [],
      openings_carried: 0,
      months: [],
    };
    for (let month = current; month <= current + deps.config.PARTITION_PREMAKE_MONTHS; month++) {
      const made = await deps.db.transaction().execute((trx) => repo.makeMonth(trx, deps.dialect, t, month));
      if (made) out.created.push(monthLabel(month));
    }
    // Retention counts whole months back from the current one, which is always kept.
    for (const month of await repo.monthsOf(deps.db, deps.dialect, t)) {
      if (month >= current - retention) continue;
      if (t === PARTITIONED.ledger)
        out.openings_carried += await deps.db.transaction().execute((trx) => repo.carryLedgerForward(trx, monthStart(month + 1)));
      await repo.dropMonthPartition(deps.db, deps.dialect, t, month);
      out.dropped.push(monthLabel(month));
    }
    out.months = (await repo.monthsOf(deps.db, deps.dialect, t)).map(monthLabel);
    tables.push(out);
  }
  return { at: new Date(now).toISOString(), tables };
}
