import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { publicAccess, routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import type { HarshaHealthDeps } from '../../deps.js';

const PROBE = publicAccess('health probes of the original gateway, read by load balancers and monitors');
const Check = Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('not configured')]);
const Health = Type.Object({
  success: Type.Boolean(),
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  checks: Type.Object({ database: Check, redis: Check }),
  timestamp: Type.String({ format: 'date-time' }),
});

/** The original gateway's probes under /api/v1: health (database and Redis), readiness and liveness. */
export function registerHarshaHealthRoutes(app: HttpApp, deps: HarshaHealthDeps): void {
  const route = routeOptionsFor(['health']);
  const up = (probe: Promise<unknown>) =>
    probe.then(
      () => 'up' as const,
      () => 'down' as const,
    );

  async function health(reply: FastifyReply) {
    const [database, redis] = await Promise.all([
      up(deps.database.ping()),
      deps.redis ? up(deps.redis.ping()) : Promise.resolve('not configured' as const),
    ]);
    const healthy = database === 'up' && redis !== 'down';
    return reply.code(healthy ? 200 : 503).send({
      success: healthy,
      status: healthy ? ('healthy' as const) : ('unhealthy' as const),
      checks: { database, redis },
      timestamp: new Date(deps.clock.now()).toISOString(),
    });
  }

  app.get(
    '/api/v1/health',
    route(PROBE, 'Database and Redis: 200 when both answer (Redis when configured), else 503', {
      response: { 200: Health, 503: Health },
    }),
    async (_request, reply) => health(reply),
  );
  app.get(
    '/api/v1/ready',
    route(PROBE, 'Ready to serve: the same checks as /api/v1/health', { response: { 200: Health, 503: Health } }),
    async (_request, reply) => health(reply),
  );
  app.get(
    '/api/v1/live',
    route(PROBE, 'The process answers', {
      response: { 200: Type.Object({ success: Type.Literal(true), status: Type.Literal('alive') }) },
    }),
    async () => ({ success: true as const, status: 'alive' as const }),
  );
}
