import { Type } from '@sinclair/typebox';
import { TimeBucketQuery, timeBuckets } from '@tributary/platform/core';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import type { AdminRouteDeps } from '../../deps.js';
import { countRequestsByBucket } from '../audit/usage-series.repository.js';
import { gatewayAccess } from '../../access.js';
import { errors, tags } from './admin.schemas.js';
import { probeReadiness, type Readiness } from './readiness-client.js';
import { usageSeries } from './usage-series.js';

const Counts = Type.Array(Type.Integer());
const Series = Type.Object({
  from: Type.String(),
  to: Type.String(),
  bucketSeconds: Type.Integer(),
  buckets: Type.Array(Type.String({ description: 'Start of each bucket (UTC)' })),
  byStatusClass: Type.Array(Type.Object({ statusClass: Type.String(), counts: Counts, total: Type.Integer() })),
  byRoute: Type.Array(Type.Object({ route: Type.String(), counts: Counts, total: Type.Integer() })),
});
const ServiceReadiness = Type.Object({
  service: Type.String(),
  status: Type.String({ description: 'ok, unavailable, draining, or unreachable' }),
  checks: Type.Record(Type.String(), Type.String()),
  httpStatus: Type.Union([Type.Integer(), Type.Null()]),
  latencyMs: Type.Integer(),
});
const SystemReadiness = Type.Object({ ready: Type.Boolean(), checkedAt: Type.String(), services: Type.Array(ServiceReadiness) });

/**
 * The administrator's monitoring reads: request volume over time from the audit log, and the
 * readiness of the gateway and of every service behind it, as each one's own probe reports it.
 */
export function registerAdminMonitorRoutes(app: HttpApp, deps: AdminRouteDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(tags);

  app.get(
    '/api/v1/admin/usage/series',
    route(access.superAdmin, 'Requests over time per route and per status class, counted in buckets from the audit log', {
      querystring: TimeBucketQuery,
      response: { 200: Series, ...errors },
    }),
    async (request) => {
      const window = timeBuckets(request.query, deps.clock.now());
      // Requests of the last moments may still be in the writer's buffer.
      await deps.audit.flush();
      return usageSeries(await countRequestsByBucket(deps.db, window), window);
    },
  );

  app.get(
    '/api/v1/admin/system/readiness',
    route(access.superAdmin, "The gateway's readiness and every upstream service's, as their /health/ready probes answer", {
      response: { 200: SystemReadiness, ...errors },
    }),
    async () => {
      const own = async (): Promise<Readiness> => {
        const started = Date.now();
        const outcome = (probe: Promise<unknown>) =>
          probe.then(
            () => 'ok',
            (error: Error) => error.message.slice(0, 200) || 'failed',
          );
        const checks: Record<string, string> = { database: await outcome(deps.database.ping()) };
        if (deps.redis) checks.redis = await outcome(deps.redis.ping());
        const ok = Object.values(checks).every((check) => check === 'ok');
        return { service: 'gateway', status: ok ? 'ok' : 'unavailable', checks, httpStatus: null, latencyMs: Date.now() - started };
      };
      const peers = Object.entries(deps.peers).filter(([name]) => name !== 'gateway');
      const services = await Promise.all([own(), ...peers.map(([name, url]) => probeReadiness(name, url))]);
      return {
        ready: services.every((service) => service.status === 'ok'),
        checkedAt: new Date(deps.clock.now()).toISOString(),
        services,
      };
    },
  );
}
