import { Type, type Static } from '@sinclair/typebox';

/**
 * The envelope the sync service delivers to a Tributary service's `POST /internal/events`.
 * The event id also travels as the `Idempotency-Key` header; consumers apply it with the
 * platform's `applyOnce` so a redelivery has no further effect.
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
});
export type EventEnvelope = Static<typeof EventEnvelope>;

/** What a consumer answers with 200. */
export const EventAck = Type.Object({
  status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('ignored')]),
});
export type EventAck = Static<typeof EventAck>;

/**
 * A consumer holding a newer or diverging version answers 409 with this body (code
 * `SYNC_VERSION_CONFLICT`), so the sync service can record and resolve a conflict.
 */
export const EventConflictDetails = Type.Object({
  targetVersion: Type.String(),
  targetData: Type.Unknown(),
});
export type EventConflictDetails = Static<typeof EventConflictDetails>;

export const INTERNAL_EVENTS_PATH = '/internal/events';
