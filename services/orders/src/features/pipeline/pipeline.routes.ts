import { ORDERS_PIPELINE_PATH, OrdersPipelineCounts } from '@tributary/contracts';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { peerRead } from '../../access.js';
import type { OrdersDeps } from '../../deps.js';
import { pipelineCounts } from './pipeline.service.js';

export function registerPipelineRoutes(app: HttpApp, deps: Pick<OrdersDeps, 'db'>): void {
  app.get(
    ORDERS_PIPELINE_PATH,
    routeOptions(peerRead, 'shipments', 'How many shipments are ready, dispatched and accepted (counts only)', {
      response: { 200: OrdersPipelineCounts, 401: errorResponseSchema },
    }),
    async () => pipelineCounts(deps),
  );
}
