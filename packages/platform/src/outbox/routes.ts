import { Type, type Static } from '@sinclair/typebox';
import { signedAccess, type AccessRule } from '../http/access.js';
import { drainingSignal } from '../http/draining.js';
import type { AnyKysely } from '../db/schema.js';
import type { HttpServerInstance } from '../http/types.js';
import { readOutboxWaiting } from './feed.js';

const OutboxQuery = Type.Object({
  after: Type.String({ pattern: '^[0-9]{1,19}$', default: '0', description: 'Return events with a sequence greater than this' }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  wait: Type.Integer({ minimum: 0, maximum: 30_000, default: 0, description: 'Long-poll: wait up to this many ms for new events' }),
});

const OutboxEventSchema = Type.Object({
  id: Type.String(),
  sequence: Type.String(),
  aggregateType: Type.String(),
  aggregateId: Type.String(),
  type: Type.String(),
  payload: Type.Unknown(),
  metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  createdAt: Type.Number(),
});

export const OutboxPageSchema = Type.Object({
  events: Type.Array(OutboxEventSchema),
  next: Type.String(),
  hasMore: Type.Boolean(),
});

export interface OutboxRouteOptions {
  db: AnyKysely;
  /** Wakes long-polls early when the service has just committed events. */
  wake?: (ms: number) => Promise<void>;
  /** Who may read the feed (default: any signed caller); a service names its event readers here. */
  access?: AccessRule;
}

/** `GET /internal/outbox`: the service's events in sequence order, for the sync service. */
export function registerOutboxRoute(app: HttpServerInstance, options: OutboxRouteOptions): void {
  app.get(
    '/internal/outbox',
    {
      config: { access: options.access ?? signedAccess },
      schema: {
        tags: ['internal'],
        summary: 'Outbox feed (signed callers only)',
        querystring: OutboxQuery,
        response: { 200: OutboxPageSchema },
      },
    },
    async (request) => {
      const query = request.query as Static<typeof OutboxQuery>;
      const abort = new AbortController();
      request.raw.once('close', () => abort.abort());
      // The caller hanging up or this service shutting down ends the wait.
      const signal = AbortSignal.any([abort.signal, drainingSignal(app)]);
      return readOutboxWaiting(options.db, query.after, query.limit, { waitMs: query.wait, signal, wake: options.wake });
    },
  );
}
