/**
 * Headers the sync service adds to `POST /internal/events` beside the envelope.
 *
 * After a conflict is resolved in favour of the source (source_wins, a merge, a business rule
 * or a person's decision), the event is delivered again with `x-tributary-sync-force: true`
 * and the resolved payload: the consumer applies it whatever version it holds, and still
 * records the event id with applyOnce. Such a resolution round carries its own Idempotency-Key
 * (`<event id>:r<round>`), because the first attempt's 409 may be stored under the plain id.
 */
export const SYNC_FORCE_HEADER = 'x-tributary-sync-force';
export const SYNC_RESOLUTION_HEADER = 'x-tributary-sync-resolution';
/** The conflict that led to a forced delivery, for the consumer's audit trail. */
export const SYNC_CONFLICT_HEADER = 'x-tributary-sync-conflict';
/** The error code a consumer answers 409 with when it holds a newer or diverging version. */
export const SYNC_VERSION_CONFLICT = 'SYNC_VERSION_CONFLICT';
