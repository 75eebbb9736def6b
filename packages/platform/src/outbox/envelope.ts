import { Type, type Static } from '@sinclair/typebox';
import { EventMetadata } from '../command/metadata.js';

/**
 * The envelope the sync service delivers to a Tributary service's `POST /internal/events`.
 * The event id also travels as the `Idempotency-Key` header; consumers apply it once by id.
 * Defined in the kernel (and re-exported by the contracts) because the kernel's inbox
 * validates it.
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
