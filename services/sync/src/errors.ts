import { defineErrors } from '@tributary/platform/core';

/**
 * The sync service's error codes, each declared once with the one category that sets its status.
 * Operators' scripts and the README match on the codes; never rename. Throw with
 * `throw SyncError.SYNC_CONFIG_NOT_FOUND('…')`. (Schema validation failures use the platform's
 * REQUEST_VALIDATION_FAILED.)
 */
export const SyncError = defineErrors({
  // 400
  SYNC_CONFIG_INVALID: 'invalid',
  SYNC_CONFLICT_VALUE_REQUIRED: 'invalid',
  SYNC_WEBHOOK_BODY_INVALID: 'invalid',
  SYNC_WEBHOOK_EVENT_UNKNOWN: 'invalid',
  SYNC_CALLBACK_URL_INVALID: 'invalid',
  SYNC_REQUEST_SOURCE_UNKNOWN: 'invalid',
  SYNC_CHANNEL_INVALID: 'invalid',
  SYNC_CHANNEL_URL_INVALID: 'invalid',
  // 401
  SYNC_WEBHOOK_SIGNATURE_INVALID: 'unauthenticated',
  SYNC_ALERTS_TOKEN_INVALID: 'unauthenticated',
  // 403
  SYNC_ROLE_FORBIDDEN: 'forbidden',
  // 404
  SYNC_EVENT_NOT_FOUND: 'not_found',
  SYNC_STATUS_NOT_FOUND: 'not_found',
  SYNC_CONFLICT_NOT_FOUND: 'not_found',
  SYNC_CONFIG_NOT_FOUND: 'not_found',
  SYNC_WEBHOOK_SOURCE_UNKNOWN: 'not_found',
  SYNC_CHANNEL_NOT_FOUND: 'not_found',
  // 409
  SYNC_STATUS_NOT_REPLAYABLE: 'conflict',
  SYNC_CONFLICT_ALREADY_CLOSED: 'conflict',
  SYNC_CONFIG_NAME_TAKEN: 'conflict',
  SYNC_CONFIG_VERSION_MISMATCH: 'conflict',
  SYNC_DELIVERY_SUPERSEDED: 'conflict',
  SYNC_CHANNEL_NAME_TAKEN: 'conflict',
  // 503
  SYNC_SOURCE_UNREACHABLE: 'unavailable',
  SYNC_SOURCE_FEED_FAILED: 'unavailable',
  /** A known external source whose secret is not set: the sender can do nothing but wait for an operator. */
  SYNC_WEBHOOK_SOURCE_NOT_CONFIGURED: 'unavailable',
  /** ALERTMANAGER_TOKEN is not set: the intake accepts nothing rather than anything. */
  SYNC_ALERTS_NOT_CONFIGURED: 'not_found',
});
export type SyncErrorCode = keyof typeof SyncError;
