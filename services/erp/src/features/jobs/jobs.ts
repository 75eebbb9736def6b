import type { JobContext, JobWork } from '@tributary/platform/scheduler';
import { systemActor, type ErpDeps } from '../../shared/context.js';
import { scanExpiry } from '../batches/expiry.service.js';
import { optimise } from '../batches/optimisation.service.js';
import { maintainPartitions } from '../maintenance/maintenance.service.js';
import { reviewAssignments } from '../segments/automation.service.js';
import { optimisedPairs } from './jobs.repository.js';

/**
 * erp's recurring work (timings: ERP_JOB_DEFAULTS in config.ts). Each is the same service call
 * its endpoint makes, and safe to repeat: the expiry scan alerts only on changed levels, a
 * review moves only assignments that are due, optimisation overwrites its own figures,
 * partition upkeep leaves what exists. Partition upkeep is also erp's retention: it drops the
 * months past LEDGER_RETENTION_MONTHS and PRICING_LOG_RETENTION_MONTHS.
 */
export function erpJobs(deps: ErpDeps): JobWork[] {
  const actor = (job: string) => systemActor(`job:${job}`, deps.clock);
  return [
    {
      name: 'expiry-scan',
      run: async () => {
        const result = await scanExpiry(deps, actor('expiry-scan'));
        return { scanned: result.scanned, alerted: result.alerted.length, marked_expired: result.marked_expired };
      },
    },
    {
      name: 'segment-review',
      run: async () => {
        const reviewed = await reviewAssignments(deps, { due_only: true }, actor('segment-review'));
        const actions: Record<string, number> = {};
        for (const result of reviewed) actions[result.action] = (actions[result.action] ?? 0) + 1;
        return { reviewed: reviewed.length, actions };
      },
    },
    { name: 'stock-optimisation', run: (context) => optimiseStoredPairs(deps, context, actor('stock-optimisation')) },
    {
      name: 'partition-maintenance',
      run: async () => {
        const result = await maintainPartitions(deps, deps.clock.now());
        return {
          tables: result.tables.map((table) => ({ table: table.table, created: table.created.length, dropped: table.dropped.length })),
        };
      },
    },
  ];
}

/** One pair that fails (an item since removed) is counted and the others still run. */
async function optimiseStoredPairs(deps: ErpDeps, context: JobContext, actor: ReturnType<typeof systemActor>) {
  let optimised = 0;
  const failed: { item: string; warehouse: string; error: string }[] = [];
  for (const pair of await optimisedPairs(deps.db)) {
    if (context.signal.aborted) break;
    try {
      await optimise(deps, pair, actor);
      optimised += 1;
    } catch (error) {
      failed.push({ ...pair, error: (error as Error).message });
    }
  }
  if (failed.length > 0 && optimised === 0)
    throw new Error(`stock optimisation failed for every pair (${failed.length}): ${failed[0]!.error}`);
  return { optimised, failed: failed.length, failures: failed.slice(0, 20) };
}
