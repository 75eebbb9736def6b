import { Gauge, type Registry } from 'prom-client';
import { countBatchesExpiringWithin } from './features/batches/expiry.service.js';
import type { ErpDeps } from './shared/context.js';

/** The window of the batch-expiry warning (docs/operations.md, Monitoring). */
export const EXPIRY_ALERT_DAYS = 7;

/**
 * ERP gauges, read from the database on scrape: one indexed count per scrape (the expiry index
 * leads with expiry_date), so a batch that crosses into the window shows at the next scrape.
 */
export function registerErpMetrics(registry: Registry, deps: ErpDeps): void {
  new Gauge({
    name: 'erp_batches_expiring',
    help: 'Batches with stock, not yet expired, that expire within within_days days of the plant date',
    labelNames: ['within_days'],
    registers: [registry],
    async collect() {
      this.set({ within_days: String(EXPIRY_ALERT_DAYS) }, await countBatchesExpiringWithin(deps, EXPIRY_ALERT_DAYS));
    },
  });
}
