import type { HttpApp } from '@tributary/platform/http';
import { OrdersError } from './errors.js';

/** Bulk endpoints take arrays; one limit for all keeps a single request's transaction bounded. */
export function registerBulkLimit(app: HttpApp, maxItems: number): void {
  app.addHook('preHandler', async (request) => {
    if (Array.isArray(request.body) && request.body.length > maxItems) {
      throw OrdersError.BULK_TOO_LARGE(`At most ${maxItems} elements per request`, {
        details: { maxItems, received: request.body.length },
      });
    }
  });
}
