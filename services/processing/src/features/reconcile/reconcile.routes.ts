import { Type } from '@sinclair/typebox';
import {
  MTP_RECONCILE_PATHS,
  MtpAllocationPage,
  MtpDifference,
  MtpReconcileSummary,
  pagedRows,
  parseMtpCursor,
  ordersApi,
  reconcileMtp,
} from '@tributary/contracts';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import type { ServiceClient } from '@tributary/platform/resilience';
import { commandOf, type FeatureDeps } from '../deps.js';
import { allocationPage } from './reconcile.repository.js';
import { allocationRows } from './allocation-stream.js';
import { ProcessingError } from '../../errors.js';
import { ACCESS } from '../../access.js';

const PageQuery = Type.Object({
  after: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,19}:[0-9]{1,10}$', description: 'cursor `<request_code>:<shipment_code>` from the previous page' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
});

/**
 * Reconciliation of MTP allocations (ADR 0601): processing's side of the comparison, and the
 * run itself — processing pulls the orders side page by page over signed HTTP and merges it
 * with its own, in constant memory.
 */
export function registerReconcileRoutes(app: HttpApp, deps: FeatureDeps, orders: ServiceClient | undefined): void {
  app.get(
    MTP_RECONCILE_PATHS.allocations,
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['internal'],
        summary: 'Σ allocated kg, bags and dispatched bags per (request, shipment), paged in key order',
        querystring: PageQuery,
        response: { 200: MtpAllocationPage, 400: errorResponseSchema },
      },
    },
    async (request) => {
      return allocationPage(deps.db, parseMtpCursor(request.query.after), request.query.limit ?? 1000);
    },
  );

  app.post(
    MTP_RECONCILE_PATHS.run,
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['internal'],
        summary: "Compare processing's allocations with the orders service's shipments; every difference with both sides' values",
        querystring: Type.Object({
          max_differences: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 1000 })),
          page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 2000 })),
        }),
        response: {
          200: Type.Object({ summary: MtpReconcileSummary, differences: Type.Array(MtpDifference), truncated: Type.Boolean() }),
          400: errorResponseSchema,
          503: errorResponseSchema,
          504: errorResponseSchema,
        },
      },
    },
    async (request) => {
      if (!orders) throw ProcessingError.ORDERS_NOT_CONFIGURED('The orders service URL is not configured (ORDERS_URL)');
      const pageSize = request.query.page_size ?? 2000;
      const maxDifferences = request.query.max_differences ?? 1000;
      // Both sides fetch their next page while this one is merged: the run waits for the slower side, not for both in turn.
      const shipments = pagedRows(
        (after) => ordersApi(orders).reconcileShipments({ limit: pageSize, after }, { correlation: commandOf(request, deps) }),
        { prefetch: true },
      );
      const allocations = allocationRows(deps.db, pageSize);
      const run = reconcileMtp(shipments, allocations);
      const differences: MtpDifference[] = [];
      for (;;) {
        const step = await run.next();
        if (step.done) return { summary: step.value, differences, truncated: step.value.differences > differences.length };
        if (differences.length < maxDifferences) differences.push(step.value);
      }
    },
  );
}
