/**
 * The orders service's stable error codes. Clients and the README rely on them; never rename.
 * (Schema validation failures use the platform's REQUEST_VALIDATION_FAILED.)
 */
export const OrdersError = {
  // 400: the request is well-formed JSON but its content is unusable
  QuantityInvalid: 'ORDER_QUANTITY_INVALID',
  DateInvalid: 'ORDER_DATE_INVALID',
  PlanRowsInvalid: 'PLAN_ROWS_INVALID',
  PlanFileInvalid: 'PLAN_FILE_INVALID',
  EventFieldRequired: 'SHIPMENT_EVENT_FIELD_REQUIRED',
  StatusNotPostable: 'SHIPMENT_STATUS_NOT_POSTABLE',
  UserPasswordRefused: 'ADMIN_USER_PASSWORD_REFUSED',
  BulkTooLarge: 'BULK_TOO_LARGE',
  EventPayloadInvalid: 'EVENT_PAYLOAD_INVALID',
  // 403
  RoleForbidden: 'ROLE_FORBIDDEN',
  StatusForbidden: 'SHIPMENT_STATUS_FORBIDDEN',
  // 404
  PlanNotFound: 'PLAN_NOT_FOUND',
  ShipmentNotFound: 'SHIPMENT_NOT_FOUND',
  ScheduleNotFound: 'SCHEDULE_NOT_FOUND',
  UserNotFound: 'USER_NOT_FOUND',
  // 409
  PlanInUse: 'PLAN_IN_USE',
  ExceedsAllowance: 'ORDER_EXCEEDS_ALLOWANCE',
  TransitionInvalid: 'SHIPMENT_TRANSITION_INVALID',
  StatusAlreadyRecorded: 'SHIPMENT_STATUS_ALREADY_RECORDED',
  QuantityIncrease: 'SHIPMENT_QUANTITY_INCREASE',
  QuantityBelowAllocated: 'SHIPMENT_QUANTITY_BELOW_ALLOCATED',
  NotSplittable: 'SHIPMENT_NOT_SPLITTABLE',
  AllocationNegative: 'SHIPMENT_ALLOCATION_NEGATIVE',
  UsernameTaken: 'USER_USERNAME_TAKEN',
  UserExists: 'USER_EXISTS',
  ScheduleCompleted: 'SCHEDULE_COMPLETED',
  // 503
  ProcessingNotConfigured: 'PROCESSING_NOT_CONFIGURED',
} as const;
export type OrdersErrorCode = (typeof OrdersError)[keyof typeof OrdersError];
