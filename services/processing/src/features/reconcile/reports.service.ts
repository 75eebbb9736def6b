import {
  pagedRows,
  reconcileMtp,
  type MtpAllocationSide,
  type MtpDifference,
  type MtpShipmentSide,
  type OrdersApi,
} from '@tributary/contracts';
import { systemCommandContext, type CommandContext } from '@tributary/platform/command';
import { dec, isAppError, type Clock, type Decimal, type Logger } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';
import { MATERIALS } from '../../domain/materials.js';
import { ProcessingError } from '../../errors.js';
import { allocationRows } from './allocation-stream.js';
import { bagConsumptionPage } from './reconcile.repository.js';
import {
  appendDifferences,
  failReport,
  finishReport,
  insertRunningReport,
  type NewDifference,
  type ReportCounts,
} from './reports.repository.js';

/** The kernel scheduler's name for the daily run; by default it runs at 01:00 plant time. */
export const MTP_RECONCILIATION_JOB = 'mtp-reconciliation';
export const MTP_RECONCILIATION_DEFAULT_SCHEDULE = { hour: 1, minute: 0, zone: 'plant' } as const;

/**
 * What a stored report classifies: the shared comparator's three kinds, with a dispatched
 * shipment that has no allocation at all split off from quantity_mismatch (the allocations
 * are missing, not wrong), and the bag-side check of reference §6.8 rule 1.
 */
export const REPORT_DIFFERENCE_KINDS = [
  'quantity_mismatch',
  'status_mismatch',
  'orphaned_allocation',
  'missing_allocation',
  'bag_over_allocated',
] as const;
export type ReportDifferenceKind = (typeof REPORT_DIFFERENCE_KINDS)[number];

export interface ReconciliationDeps {
  db: Kysely<ProcessingDb>;
  clock: Clock;
  logger: Logger;
  /** The orders service over processing's signed client; undefined when ORDERS_URL is not set. */
  orders: OrdersApi | undefined;
  /** Rows per page read from each side (the only rows held at once). */
  pageSize: number;
  /** A `running` report silent this long is taken for dead when the next run starts. */
  leaseMs: number;
}

export interface ReconciliationRun {
  trigger: 'schedule' | 'manual';
  /** Who asked and in which trace; the orders calls carry it. */
  context: CommandContext;
}

/** What a completed run returns (a failed run throws; its report says why). */
export interface ReconciliationSummary {
  reportId: string;
  shipments: number;
  allocationGroups: number;
  bagsChecked: number;
  differences: number;
  byKind: Record<ReportDifferenceKind, number>;
  shippedKg: string;
  allocatedKg: string;
}

/** Differences are written in batches of this many, so a run holds at most one batch. */
const FLUSH_EVERY = 500;

/**
 * The daily MTP reconciliation: pages the orders side over the signed client and its own
 * allocations from the database, merges them with the shared comparator, checks every bag's
 * consumption against its net weight, and stores the report with every difference. Memory
 * stays bounded by one page per side and one batch of differences. A run that fails (orders
 * unreachable, a side out of order) leaves a `failed` report and throws.
 */
export async function runMtpReconciliation(
  deps: ReconciliationDeps,
  run: ReconciliationRun = { trigger: 'schedule', context: systemCommandContext(MTP_RECONCILIATION_JOB, deps.clock) },
): Promise<ReconciliationSummary> {
  const reportId = await startReconciliation(deps, run);
  return completeReconciliation(deps, reportId, run);
}

/** Refuses early (no orders URL, a run already going) and opens the report; the 409 and 503 of the run route. */
export async function startReconciliation(deps: ReconciliationDeps, run: ReconciliationRun): Promise<string> {
  if (!deps.orders) throw ProcessingError.ORDERS_NOT_CONFIGURED('The orders service URL is not configured (ORDERS_URL)');
  const now = deps.clock.now();
  return insertRunningReport(deps.db, {
    trigger: run.trigger,
    requested_by: run.context.actor.id,
    now: new Date(now),
    staleBefore: new Date(now - deps.leaseMs),
  });
}

/** Runs the comparison for an opened report and closes it as completed or failed. */
export async function completeReconciliation(
  deps: ReconciliationDeps,
  reportId: string,
  run: ReconciliationRun,
): Promise<ReconciliationSummary> {
  const started = deps.clock.now();
  try {
    const counts = await compareAndStore(deps, reportId, run.context);
    await finishReport(deps.db, reportId, counts, new Date(deps.clock.now()));
    const summary = summaryOf(reportId, counts);
    deps.logger.info(
      {
        job: MTP_RECONCILIATION_JOB,
        reportId,
        trigger: run.trigger,
        differences: summary.differences,
        byKind: summary.byKind,
        ms: deps.clock.now() - started,
      },
      'MTP reconciliation finished',
    );
    return summary;
  } catch (error) {
    const failure = isAppError(error)
      ? { code: error.code, message: error.message }
      : { code: 'RUN_FAILED', message: error instanceof Error ? error.message : String(error) };
    await failReport(deps.db, reportId, failure, new Date(deps.clock.now()));
    deps.logger.error({ job: MTP_RECONCILIATION_JOB, reportId, trigger: run.trigger, code: failure.code }, 'MTP reconciliation failed');
    throw error;
  }
}

async function compareAndStore(deps: ReconciliationDeps, reportId: string, context: CommandContext): Promise<ReportCounts> {
  const orders = deps.orders!;
  const byKind = Object.fromEntries(REPORT_DIFFERENCE_KINDS.map((kind) => [kind, 0])) as Record<ReportDifferenceKind, number>;
  const totals = { shipped: dec(0), allocated: dec(0) };
  let seq = 0;
  let pending: NewDifference[] = [];
  const flush = async () => {
    await appendDifferences(deps.db, reportId, seq, pending, new Date(deps.clock.now()));
    seq += pending.length;
    pending = [];
  };
  const record = async (difference: NewDifference & { kind: ReportDifferenceKind }) => {
    byKind[difference.kind]++;
    pending.push(difference);
    if (pending.length >= FLUSH_EVERY) await flush();
  };

  const shipments = summing(
    pagedRows((after) => orders.reconcileShipments({ limit: deps.pageSize, after }, { correlation: context }), { prefetch: true }),
    (row: MtpShipmentSide) => (totals.shipped = totals.shipped.plus(row.quantity_kg)),
  );
  const allocations = summing(
    allocationRows(deps.db, deps.pageSize),
    (row: MtpAllocationSide) => (totals.allocated = totals.allocated.plus(row.allocated_kg)),
  );
  const merge = reconcileMtp(shipments, allocations);
  let step = await merge.next();
  try {
    while (!step.done) {
      await record(shipmentDifference(step.value));
      step = await merge.next();
    }
  } catch (error) {
    // Recording failed while the merge waits at a difference: close it, and with it both sides.
    if (!step.done) await merge.throw(error).catch(() => undefined);
    throw error;
  }
  const merged = step.value;

  let bagsChecked = 0;
  for (const material of MATERIALS) {
    for await (const bag of pagedRows((after) => bagConsumptionPage(deps.db, material, after ?? undefined, deps.pageSize))) {
      bagsChecked++;
      if (dec(bag.consumed_kg).greaterThan(bag.net_kg))
        await record({
          kind: 'bag_over_allocated',
          material,
          barcode: bag.barcode,
          expected_kg: bag.net_kg,
          actual_kg: bag.consumed_kg,
          reason: `${material} bag allocated ${dec(bag.consumed_kg).toFixed()} kg of its ${dec(bag.net_kg).toFixed()} kg net weight`,
        });
    }
  }
  await flush();
  return {
    shipments: merged.shipments,
    allocation_groups: merged.allocationGroups,
    bags_checked: bagsChecked,
    differences: seq,
    ...byKind,
    shipped_kg: kg(totals.shipped),
    allocated_kg: kg(totals.allocated),
  };
}

/** A comparator difference as a stored row: expected is what orders holds, actual what processing allocated. */
function shipmentDifference(difference: MtpDifference): NewDifference & { kind: ReportDifferenceKind } {
  const kind: ReportDifferenceKind =
    difference.kind === 'quantity_mismatch' && difference.processing === null ? 'missing_allocation' : difference.kind;
  return {
    kind,
    request_code: difference.request_code,
    shipment_code: difference.shipment_code,
    orders_status: difference.orders?.status ?? null,
    expected_kg: difference.orders?.quantity_kg ?? null,
    actual_kg: difference.processing?.allocated_kg ?? '0',
    bags: difference.processing?.bags ?? 0,
    dispatched_bags: difference.processing?.dispatched_bags ?? 0,
    reason: kind === 'missing_allocation' ? 'dispatched shipment without any allocated bag' : difference.reason,
  };
}

async function* summing<T>(rows: AsyncIterable<T>, add: (row: T) => unknown): AsyncGenerator<T> {
  for await (const row of rows) {
    add(row);
    yield row;
  }
}

const kg = (value: Decimal) => value.toFixed(3);

function summaryOf(reportId: string, counts: ReportCounts): ReconciliationSummary {
  return {
    reportId,
    shipments: counts.shipments,
    allocationGroups: counts.allocation_groups,
    bagsChecked: counts.bags_checked,
    differences: counts.differences,
    byKind: Object.fromEntries(REPORT_DIFFERENCE_KINDS.map((kind) => [kind, counts[kind]])) as Record<ReportDifferenceKind, number>,
    shippedKg: counts.shipped_kg,
    allocatedKg: counts.allocated_kg,
  };
}
