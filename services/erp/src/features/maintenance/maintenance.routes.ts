import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { erpRouteOptions } from '../../access.js';
import type { ErpDeps } from '../../shared/context.js';
import { maintainPartitions } from './maintenance.service.js';

const Month = Type.String({ description: 'YYYY-MM (UTC)' });
const MaintenanceOut = Type.Object({
  at: Type.String({ description: 'the instant maintenance ran for' }),
  tables: Type.Array(
    Type.Object({
      table: Type.String(),
      retention_months: Type.Integer(),
      created: Type.Array(Month, { description: 'month partitions made by this run' }),
      dropped: Type.Array(Month, { description: 'month partitions dropped by this run, with their rows' }),
      openings_carried: Type.Integer({ description: 'batches whose ledger opening moved forward (batch ledger only)' }),
      months: Type.Array(Month, { description: 'the month partitions there are now' }),
    }),
  ),
});

/** Partition upkeep on demand, for people now and for a scheduler later. */
export function registerMaintenanceRoutes(app: HttpApp, deps: ErpDeps): void {
  const access = erpRouteOptions(deps.config, ['maintenance']);
  app.post(
    '/maintenance/partitions',
    access('maintenance', 'Make the coming months of the batch ledger and pricing log partitions; drop months past retention (ADR 0309)', {
      response: { 200: MaintenanceOut, 403: errorResponseSchema },
    }),
    async () => maintainPartitions(deps, deps.clock.now()),
  );
}
