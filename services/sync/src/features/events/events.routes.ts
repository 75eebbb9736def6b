import { Type, type Static } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { PROCESSING_STATUSES, SYNC_STATUSES } from '../../db/schema.js';
import { SyncError } from '../../errors.js';
import type { EventRouteDeps } from '../../deps.js';
import { replay, skip } from '../queue/index.js';
import { findEvent, findStatus, listEvents, listStatuses } from './events.repository.js';
import { toJson } from './serialize.js';
import { ACCESS } from '../../access.js';

const Row = Type.Object({}, { additionalProperties: true });
const Page = Type.Object({ items: Type.Array(Row), nextBefore: Type.Union([Type.String(), Type.Null()]) });
/** The delivery list plus what the original service answered here: its four queues and the socket connections. */
const StatusPage = Type.Composite([
  Page,
  Type.Object({
    queues: Type.Record(Type.String(), Row, { description: 'customer-sync, inventory-sync, order-sync, pricing-sync' }),
    websocket: Row,
    timestamp: Type.String(),
  }),
]);
const Limit = Type.Integer({ minimum: 1, maximum: 500, default: 50 });
const Before = Type.String({ pattern: '^[0-9]{1,19}$', description: 'Page backwards: ids below this' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Uuid = Type.String({ format: 'uuid' });

const EventsQuery = Type.Object({
  source: Type.Optional(Name),
  name: Type.Optional(Name),
  doctype: Type.Optional(Name),
  docName: Type.Optional(Name),
  /** The user who made the change at the source: the data-change trail of one person. */
  user: Type.Optional(Name),
  status: Type.Optional(Type.Union(PROCESSING_STATUSES.map((s) => Type.Literal(s)))),
  limit: Limit,
  before: Type.Optional(Before),
});
const StatusQuery = Type.Object({
  status: Type.Optional(Type.Union(SYNC_STATUSES.map((s) => Type.Literal(s)))),
  target: Type.Optional(Name),
  source: Type.Optional(Name),
  eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  entityType: Type.Optional(Name),
  entityId: Type.Optional(Name),
  limit: Limit,
  before: Type.Optional(Before),
});
const ReplayBody = Type.Object(
  {
    syncIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 1000 })),
    target: Type.Optional(Name),
    source: Type.Optional(Name),
    includeSkipped: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
const Reason = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

function page(rows: Record<string, unknown>[], limit: number) {
  return { items: rows.map(toJson), nextBefore: rows.length === limit ? String(rows[rows.length - 1]!.id) : null };
}

async function eventWithDeliveries(db: EventRouteDeps['db'], eventId: string) {
  const event = await findEvent(db, eventId);
  if (!event) return undefined;
  const deliveries = await listStatuses(db, { eventId, limit: 100 });
  return { ...toJson(event), deliveries: deliveries.map(toJson) };
}

/** One page of a newest-first list; `before` (the last id of the previous page) becomes the repository's `beforeId`. */
async function pageOf<Q extends { before?: string; limit: number }>(
  query: Q,
  list: (filter: Q & { beforeId?: string }) => Promise<Record<string, unknown>[]>,
) {
  return page(await list({ ...query, ...(query.before ? { beforeId: query.before } : {}) }), query.limit);
}

export function registerEventRoutes(app: HttpApp, deps: EventRouteDeps): void {
  const { db } = deps;
  const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };

  app.get(
    '/api/sync/events',
    routeOptions(ACCESS.peer, 'events', 'Captured events, newest first', { querystring: EventsQuery, response: { 200: Page, ...errors } }),
    async (request) => pageOf(request.query as Static<typeof EventsQuery>, (filter) => listEvents(db, filter)),
  );

  app.get(
    '/api/sync/events/:eventId',
    routeOptions(ACCESS.peer, 'events', 'One event with its deliveries', {
      params: Type.Object({ eventId: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: Row, ...errors },
    }),
    async (request) => {
      const { eventId } = request.params as { eventId: string };
      const event = await eventWithDeliveries(db, eventId);
      if (!event) throw SyncError.SYNC_EVENT_NOT_FOUND(`No event ${eventId}`);
      return event;
    },
  );

  app.get(
    '/api/sync/status',
    routeOptions(ACCESS.peer, 'deliveries', 'Deliveries (one per event and target), with queue and real-time connection statistics', {
      querystring: StatusQuery,
      response: { 200: StatusPage, ...errors },
    }),
    async (request) => ({
      ...(await pageOf(request.query as Static<typeof StatusQuery>, (filter) => listStatuses(db, filter))),
      ...(await deps.syncOverview()),
      timestamp: new Date(deps.clock.now()).toISOString(),
    }),
  );

  app.get(
    '/api/sync/dead-letters',
    routeOptions(ACCESS.peer, 'deliveries', 'Deliveries parked as failed (retries exhausted or refused)', {
      querystring: Type.Omit(StatusQuery, ['status']),
      response: { 200: Page, ...errors },
    }),
    async (request) => pageOf(request.query as Static<typeof StatusQuery>, (filter) => listStatuses(db, { ...filter, status: 'failed' })),
  );

  app.get(
    '/api/sync/status/:syncId',
    routeOptions(ACCESS.peer, 'deliveries', 'One delivery, or a sync request (an event id) with its deliveries', {
      params: Type.Object({ syncId: Uuid }),
      response: { 200: Row, ...errors },
    }),
    async (request) => {
      const { syncId } = request.params as { syncId: string };
      const row = await findStatus(db, syncId);
      if (row) return toJson(row);
      // The original clients read a triggered sync back here by the id the trigger answered.
      const event = await eventWithDeliveries(db, syncId);
      if (!event) throw SyncError.SYNC_STATUS_NOT_FOUND('No such delivery or sync request');
      return event;
    },
  );

  app.post(
    '/api/sync/status/:syncId/replay',
    routeOptions(ACCESS.peer, 'deliveries', 'Replay one parked delivery', {
      params: Type.Object({ syncId: Uuid }),
      response: { 200: Type.Object({ replayed: Type.Array(Type.String()) }), ...errors },
    }),
    async (request) => {
      const { syncId } = request.params as { syncId: string };
      const row = await findStatus(db, syncId);
      if (!row) throw SyncError.SYNC_STATUS_NOT_FOUND('No such delivery');
      if (row.sync_status !== 'failed' && row.sync_status !== 'skipped') {
        throw SyncError.SYNC_STATUS_NOT_REPLAYABLE(`Only failed or skipped deliveries are replayed; this one is ${row.sync_status}`);
      }
      const replayed = await replay(db, { syncIds: [syncId], statuses: ['failed', 'skipped'], limit: 1 }, new Date(deps.clock.now()));
      deps.wakeWorkers();
      return { replayed };
    },
  );

  app.post(
    '/api/sync/replay',
    routeOptions(ACCESS.peer, 'deliveries', 'Replay parked deliveries in bulk (by ids, target or source)', {
      body: ReplayBody,
      response: { 200: Type.Object({ replayed: Type.Array(Type.String()) }), ...errors },
    }),
    async (request) => {
      const body = request.body as Static<typeof ReplayBody>;
      const replayed = await replay(
        db,
        {
          ...(body.syncIds ? { syncIds: body.syncIds } : {}),
          ...(body.target ? { target: body.target } : {}),
          ...(body.source ? { source: body.source } : {}),
          statuses: body.includeSkipped ? ['failed', 'skipped'] : ['failed'],
          limit: body.limit ?? 1000,
        },
        new Date(deps.clock.now()),
      );
      deps.wakeWorkers();
      return { replayed };
    },
  );

  app.post(
    '/api/sync/status/:syncId/skip',
    routeOptions(ACCESS.peer, 'deliveries', 'Let a parked delivery go (unblocks its aggregate)', {
      params: Type.Object({ syncId: Uuid }),
      body: Reason,
      response: { 200: Row, ...errors },
    }),
    async (request) => {
      const { syncId } = request.params as { syncId: string };
      const { reason } = request.body as Static<typeof Reason>;
      const now = new Date(deps.clock.now());
      if (!(await skip(db, syncId, reason, now))) {
        const row = await findStatus(db, syncId);
        if (!row) throw SyncError.SYNC_STATUS_NOT_FOUND('No such delivery');
        throw SyncError.SYNC_STATUS_NOT_REPLAYABLE(`A ${row.sync_status} delivery cannot be skipped`);
      }
      deps.wakeWorkers();
      return toJson((await findStatus(db, syncId))!);
    },
  );
}
