import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import type { HealthRouteDeps } from '../../deps.js';
import { toJson } from '../events/serialize.js';
import { ACCESS } from '../../access.js';

const Row = Type.Object({}, { additionalProperties: true });
const MetricsQuery = Type.Object({
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  target: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
});

export function registerHealthRoutes(app: HttpApp, deps: HealthRouteDeps): void {
  const { db } = deps;

  app.get(
    '/api/sync/health',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['health'],
        summary: 'The health dashboard: per-flow counts (24 h), lag per source, queue depth, conflicts and dead letters',
        response: {
          200: Type.Object({
            flows: Type.Array(Row),
            sources: Type.Array(Row),
            queue: Type.Array(Row),
            conflictsPending: Type.Integer(),
            deadLetters: Type.Integer(),
            generatedAt: Type.String(),
          }),
        },
      },
    },
    async () => {
      const now = deps.clock.now();
      const flows = await sql<Record<string, unknown>>`select * from view_sync_health_dashboard`.execute(db);
      const cursors = await db.selectFrom('sync_source_cursors').selectAll().orderBy('source').execute();
      const queue = await db
        .selectFrom('sync_status')
        .select([
          'target_system',
          'sync_status',
          (eb) => eb.fn.countAll<string>().as('count'),
          (eb) => eb.fn.min('created_at').as('oldest'),
        ])
        .where('sync_status', 'in', ['pending', 'in_progress', 'failed', 'conflict'])
        .groupBy(['target_system', 'sync_status'])
        .execute();
      const conflicts = await db
        .selectFrom('sync_conflicts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('resolution_status', 'in', ['pending', 'escalated'])
        .executeTakeFirst();
      const dead = queue.filter((row) => row.sync_status === 'failed').reduce((sum, row) => sum + Number(row.count), 0);
      return {
        flows: flows.rows.map((row) => toJson(row)),
        sources: cursors.map((cursor) => ({
          source: cursor.source,
          cursor: String(cursor.cursor),
          eventsSeen: Number(cursor.events_seen),
          msBehindSource:
            cursor.last_captured_at && cursor.last_event_created_at
              ? cursor.last_captured_at.getTime() - cursor.last_event_created_at.getTime()
              : null,
          msSinceLastEvent: cursor.last_captured_at ? now - cursor.last_captured_at.getTime() : null,
          lastPolledAt: cursor.last_polled_at?.toISOString() ?? null,
          lastError: cursor.last_error,
        })),
        queue: queue.map((row) => ({
          target: row.target_system,
          status: row.sync_status,
          count: Number(row.count),
          oldest: row.oldest ? new Date(row.oldest as Date).toISOString() : null,
        })),
        conflictsPending: Number(conflicts?.n ?? 0),
        deadLetters: dead,
        generatedAt: new Date(now).toISOString(),
      };
    },
  );

  app.get(
    '/api/sync/metrics',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['health'],
        summary: 'Metric windows (throughput, latency, error rate, lag, queue depth, conflicts pending)',
        querystring: MetricsQuery,
        response: { 200: Type.Object({ items: Type.Array(Row) }), 400: errorResponseSchema },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof MetricsQuery>;
      let query = db.selectFrom('sync_metrics').selectAll().orderBy('window_start', 'desc').orderBy('id', 'desc').limit(q.limit);
      if (q.type) query = query.where('metric_type', '=', q.type);
      if (q.source) query = query.where('source_system', '=', q.source);
      if (q.target) query = query.where('target_system', '=', q.target);
      if (q.from) query = query.where('window_start', '>=', new Date(q.from));
      if (q.to) query = query.where('window_end', '<=', new Date(q.to));
      const rows = await query.execute();
      return { items: rows.map((row) => ({ ...toJson(row), metric_value: Number(row.metric_value) })) };
    },
  );
}
