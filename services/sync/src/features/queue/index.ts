/**
 * The delivery queue: the only writer of `sync_status`. Each transition is one function of one
 * statement (run it inside the caller's transaction when it must commit with other writes).
 * Reads (lists, metrics, health) query the table directly; writes go through here.
 */
export { claim, targetsWithWork, type ClaimedDelivery } from './claim.js';
export { complete, type Completion } from './complete.js';
export { enqueue } from './enqueue.js';
export { fail, type Failure } from './fail.js';
export { purge } from './purge.js';
export { releaseExpiredLeases, releaseHeld } from './release.js';
export { replay } from './replay.js';
export { park, resolve, skip, type Resolution, type ResolveFacts, type StatusAfterConflict } from './resolve.js';
