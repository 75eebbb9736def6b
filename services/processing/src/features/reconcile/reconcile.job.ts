import { systemCommandContext } from '@tributary/platform/command';
import { isAppError } from '@tributary/platform/core';
import type { JobWork } from '@tributary/platform/scheduler';
import { MTP_RECONCILIATION_JOB, runMtpReconciliation, type ReconciliationDeps } from './reports.service.js';

/**
 * The daily MTP reconciliation as a scheduled job (ADR 0031, ADR 0601). A report someone
 * started by hand and still running is this period's reconciliation too: the job then records
 * a skip instead of failing. Its summary names the stored report.
 */
export function reconciliationJob(deps: ReconciliationDeps): JobWork {
  return {
    name: MTP_RECONCILIATION_JOB,
    run: async (job) => {
      try {
        const summary = await runMtpReconciliation(deps, {
          trigger: job.trigger,
          context: systemCommandContext(`job:${MTP_RECONCILIATION_JOB}`, deps.clock),
        });
        return { ...summary };
      } catch (error) {
        if (isAppError(error) && error.code === 'RECONCILIATION_RUNNING') return { skipped: 'a reconciliation report was already running' };
        throw error;
      }
    },
  };
}
