import { Type } from '@sinclair/typebox';
import type { HttpApp } from '@tributary/platform/http';
import { ACCESS } from '../../access.js';
import type { OverviewDeps } from '../../deps.js';
import { pingDatabase } from './queue-stats.repository.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  timestamp: Type.String(),
  uptime: Type.Number(),
  version: Type.String(),
  services: Type.Object({ messageBroker: Type.String(), webSocket: Type.String(), webhooks: Type.String() }),
  ready: Type.Boolean(),
  checks: Type.Record(Type.String(), Type.String()),
  webSocket: Type.Object({ connections: Type.Integer() }),
});

const Index = Type.Object({
  name: Type.String(),
  version: Type.String(),
  timestamp: Type.String(),
  endpoints: Type.Object({ health: Type.String(), webhooks: Type.String(), api: Type.String(), websocket: Type.String() }),
});

/** `GET /` and `GET /health` as the original sync service answered them, with Tributary's readiness facts added. */
export function registerOverviewRoutes(app: HttpApp, deps: OverviewDeps): void {
  const timestamp = () => new Date(deps.clock.now()).toISOString();

  app.get(
    '/',
    {
      config: { access: ACCESS.index },
      schema: { tags: ['overview'], summary: 'The endpoints this service offers', response: { 200: Index } },
    },
    async () => ({
      name: 'Tributary sync service',
      version: deps.version,
      timestamp: timestamp(),
      endpoints: { health: '/health', webhooks: '/webhooks', api: '/api', websocket: '/socket.io' },
    }),
  );

  app.get(
    '/health',
    {
      config: { access: ACCESS.health },
      schema: {
        tags: ['overview'],
        summary: "The original health answer plus readiness: 503 when the database (sync's queue) does not answer",
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      let database = 'ok';
      try {
        await pingDatabase(deps.db);
      } catch (error) {
        // The message names the failure for an operator; connection strings never reach it.
        database = (error as Error).message.slice(0, 200) || 'failed';
      }
      const ready = database === 'ok';
      const socket = deps.socketState();
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'healthy' : 'unhealthy',
        timestamp: timestamp(),
        uptime: process.uptime(),
        version: deps.version,
        services: {
          // The original's broker was Redis/Bull; here the queue is the database.
          messageBroker: ready ? 'running' : 'down',
          webSocket: socket.running ? 'running' : 'stopped',
          webhooks: 'running',
        },
        ready,
        checks: { database },
        webSocket: { connections: socket.connections },
      });
    },
  );
}
