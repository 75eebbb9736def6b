import { defineErrors } from '@tributary/platform/core';

/**
 * The orders service's error codes, each declared once with the one category that sets its status.
 * Clients and the README rely on the codes; never rename. Throw with `throw OrdersError.PLAN_NOT_FOUND('…')`.
 * (Schema validation failures use the platform's REQUEST_VALIDATION_FAILED.)
 */
export const OrdersError = defineErrors({
  // 400
  ORDER_QUANTITY_INVALID: 'invalid',
  ORDER_DATE_INVALID: 'invalid',
  PLAN_ROWS_INVALID: 'invalid',
  PLAN_FILE_INVALID: 'invalid',
  SHIPMENT_EVENT_FIELD_REQUIRED: 'invalid',
  SHIPMENT_STATUS_NOT_POSTABLE: 'invalid',
  ADMIN_USER_PASSWORD_REFUSED: 'invalid',
  BULK_TOO_LARGE: 'invalid',
  EVENT_PAYLOAD_INVALID: 'invalid',
  // 401
  AUTH_REQUIRED: 'unauthenticated',
  // 403
  ROLE_FORBIDDEN: 'forbidden',
  SHIPMENT_STATUS_FORBIDDEN: 'forbidden',
  // 404
  PLAN_NOT_FOUND: 'not_found',
  SHIPMENT_NOT_FOUND: 'not_found',
  SCHEDULE_NOT_FOUND: 'not_found',
  USER_NOT_FOUND: 'not_found',
  // 409
  PLAN_IN_USE: 'conflict',
  ORDER_EXCEEDS_ALLOWANCE: 'conflict',
  SHIPMENT_TRANSITION_INVALID: 'conflict',
  SHIPMENT_STATUS_ALREADY_RECORDED: 'conflict',
  SHIPMENT_QUANTITY_INCREASE: 'conflict',
  SHIPMENT_QUANTITY_BELOW_ALLOCATED: 'conflict',
  SHIPMENT_NOT_SPLITTABLE: 'conflict',
  SHIPMENT_ALLOCATION_NEGATIVE: 'conflict',
  USER_USERNAME_TAKEN: 'conflict',
  USER_EXISTS: 'conflict',
  SCHEDULE_COMPLETED: 'conflict',
  // 503
  PROCESSING_NOT_CONFIGURED: 'unavailable',
});
export type OrdersErrorCode = keyof typeof OrdersError;
