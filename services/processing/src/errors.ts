import { defineErrors } from '@tributary/platform/core';

/**
 * The processing service's error codes, each declared once with its category. 400s come from request
 * validation (REQUEST_VALIDATION_FAILED) or the codes below; 404s name what is missing; 409s name the
 * rule that refused the change. The database raises the same codes (SQLSTATE TR409 / TR404, see
 * migrations/0001) so a refusal reads the same whichever layer caught it.
 */
export const ProcessingError = defineErrors({
  // 400
  WEIGHT_INVALID: 'invalid',
  BATCH_UPDATE_INVALID: 'invalid',
  MIXTURE_DUPLICATE: 'invalid',
  REDUCE_NOT_SUPPORTED: 'invalid',
  DISPATCH_KEY_REQUIRED: 'invalid',
  DISPATCH_BAG_DUPLICATE: 'invalid',
  TRACE_CODE_INVALID: 'invalid',
  RECALL_SOURCE_INVALID: 'invalid',
  // 401
  RECONCILE_AUTH_REQUIRED: 'unauthenticated',
  // 403
  TRADER_ROLE_FORBIDDEN: 'forbidden',
  TRACE_ROLE_FORBIDDEN: 'forbidden',
  RECONCILE_ROLE_FORBIDDEN: 'forbidden',
  // 404
  LOT_NOT_FOUND: 'not_found',
  BATCH_NOT_FOUND: 'not_found',
  BLENDSHEET_NOT_FOUND: 'not_found',
  FLAVORSHEET_NOT_FOUND: 'not_found',
  RECORD_NOT_FOUND: 'not_found',
  LOCATION_NOT_FOUND: 'not_found',
  ALLOCATION_NOT_FOUND: 'not_found',
  DISPATCH_NOT_FOUND: 'not_found',
  SHIPMENT_NOT_FOUND: 'not_found',
  TRACE_CODE_NOT_FOUND: 'not_found',
  REPORT_NOT_FOUND: 'not_found',
  // 409
  SHIPMENT_HAS_NO_BAGS: 'conflict',
  ITEM_EXISTS: 'conflict',
  BLENDSHEET_EXISTS: 'conflict',
  FLAVORSHEET_EXISTS: 'conflict',
  LOCATION_EXISTS: 'conflict',
  LOCATION_HERBLINE_ONLY: 'conflict',
  LOCATION_NOT_HERBLINE_SECTION: 'conflict',
  TEALINE_BAG_LIMIT_REACHED: 'conflict',
  BLENDBALANCE_WEIGHT_EXCEEDED: 'conflict',
  BLENDSHEET_BATCH_LIMIT_REACHED: 'conflict',
  BLENDSHEET_BATCHES_BELOW_CREATED: 'conflict',
  FLAVORSHEET_BATCH_EXISTS: 'conflict',
  BATCH_COMPLETED: 'conflict',
  BATCH_QC_LOCKED: 'conflict',
  TRADER_TRANSITION_INVALID: 'conflict',
  RECORD_DISPATCHED: 'conflict',
  RECORD_NOT_ELIGIBLE: 'conflict',
  RECORD_REDUCE_EXCEEDS_REMAINING: 'conflict',
  ALLOCATION_EXCEEDS_AVAILABLE: 'conflict',
  BATCH_TRADER_BLOCKED: 'conflict',
  BATCH_NOT_TRADER_ALLOWED: 'conflict',
  PARCEL_WITHOUT_SHIPMENT_ALLOCATION: 'conflict',
  PARCEL_EXCEEDS_SHIPMENT_ALLOCATION: 'conflict',
  ALLOCATION_HAS_PARCELS: 'conflict',
  SHIPMENT_NOT_DISPATCHABLE: 'conflict',
  DISPATCH_EXCEEDS_SHIPMENT: 'conflict',
  DISPATCH_IN_PROGRESS: 'conflict',
  SHIPMENT_UNKNOWN: 'conflict',
  RECONCILIATION_RUNNING: 'conflict',
  // 422
  DISPATCH_KEY_REUSED: 'unprocessable',
  // 503
  ORDERS_NOT_CONFIGURED: 'unavailable',
  UPSTREAM_UNAVAILABLE: 'unavailable',
  SHIPMENT_UNVERIFIABLE: 'unavailable',
});
/**
 * The one code without a category of its own: a failed dispatch saga reports the status of the step
 * that failed (404 unknown shipment, 503 orders down, …), so only its code is fixed here.
 */
export const DISPATCH_FAILED = 'DISPATCH_FAILED';

export type ProcessingErrorCode = keyof typeof ProcessingError;
