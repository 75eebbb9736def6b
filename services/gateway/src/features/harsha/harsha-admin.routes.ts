import { Type } from '@sinclair/typebox';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { gatewayAccess } from '../../access.js';
import type { HarshaAdminDeps } from '../../deps.js';
import { errors } from '../admin/admin.schemas.js';
import { DashboardRepository } from './dashboard.repository.js';
import { envelope } from './envelope.js';

const Counts = Type.Object({ total: Type.Integer(), active: Type.Integer() });

/** The original admin dashboard: how many users, keys and routes, and today's traffic. */
export function registerHarshaAdminRoutes(app: HttpApp, deps: HarshaAdminDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(['admin']);
  const dashboard = new DashboardRepository(deps.db);

  app.get(
    '/api/v1/admin/dashboard',
    route(access.admin, 'Counts of users, API keys and routes, and requests since midnight (UTC)', {
      response: {
        200: envelope(
          Type.Object({
            users: Counts,
            apiKeys: Counts,
            routes: Counts,
            requestsToday: Type.Integer(),
            errorsToday: Type.Integer(),
            generatedAt: Type.String({ format: 'date-time' }),
          }),
        ),
        ...errors,
      },
    }),
    async () => {
      // Today's requests include those still buffered for the audit log.
      await deps.audit.flush();
      const now = new Date(deps.clock.now());
      const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      return { success: true as const, data: { ...(await dashboard.summary(midnight)), generatedAt: now.toISOString() } };
    },
  );
}
