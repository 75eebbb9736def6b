import { Type, type Static } from '@sinclair/typebox';

/*
 * The wire shapes of events between services: what every event carries about its cause, and
 * the envelope a consumer receives. In core because the contracts package (which may use only
 * core) publishes them, and the kernel's outbox and inbox use them.
 */

/** Who caused an event: a signed-in user, a service acting on its own, or a background job. */
export const EventActor = Type.Object({
  type: Type.Union([Type.Literal('user'), Type.Literal('service'), Type.Literal('system'), Type.Literal('anonymous')]),
  id: Type.String({ minLength: 1, maxLength: 200 }),
  /** The signing service that carried a user's request, when there was one. */
  principal: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
export type EventActor = Static<typeof EventActor>;

/** What travels with every event: the request that caused it, its trace and who acted. */
export const EventMetadata = Type.Object({
  requestId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  traceparent: Type.Optional(Type.String({ pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' })),
  actor: EventActor,
});
export type EventMetadata = Static<typeof EventMetadata>;

/**
 * The envelope the sync service delivers to a Tributary service's `POST /internal/events`.
 * The event id also travels as the `Idempotency-Key` header; consumers apply it once by id.
 * The contracts re-export it; the kernel's inbox validates it.
 */
export const EventEnvelope = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  /** The service whose outbox produced the event (or an external source name). */
  source: Type.String({ minLength: 1, maxLength: 100 }),
  sequence: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })),
  aggregateType: Type.String({ minLength: 1, maxLength: 100 }),
  aggregateId: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.String({ minLength: 1, maxLength: 200 }),
  payload: Type.Unknown(),
  createdAt: Type.Number(),
  /** The source's version of the aggregate, for conflict detection. */
  sourceVersion: Type.Optional(Type.String({ maxLength: 100 })),
  /** Who caused the event and in which request and trace; absent for events that name no one. */
  metadata: Type.Optional(EventMetadata),
});
export type EventEnvelope = Static<typeof EventEnvelope>;

/** What a consumer answers with 200. */
export const EventAck = Type.Object({
  status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('ignored')]),
});
export type EventAck = Static<typeof EventAck>;

export const INTERNAL_EVENTS_PATH = '/internal/events';
