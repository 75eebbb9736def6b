import { Type, type Static } from '@sinclair/typebox';

/**
 * The delivered-event envelope, its acknowledgement and the metadata every event carries are
 * the kernel's (its inbox validates them); they are part of this contract all the same.
 */
export { EventAck, EventActor, EventEnvelope, EventMetadata, INTERNAL_EVENTS_PATH } from '@tributary/platform/core';

/**
 * A consumer holding a newer or diverging version answers 409 with this body (code
 * `SYNC_VERSION_CONFLICT`), so the sync service can record and resolve a conflict.
 */
export const EventConflictDetails = Type.Object({
  targetVersion: Type.String(),
  targetData: Type.Unknown(),
});
export type EventConflictDetails = Static<typeof EventConflictDetails>;
