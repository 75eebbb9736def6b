import { defineErrors } from '@tributary/platform/core';

/** The ERP service's error codes, each declared once with its category; clients and docs rely on them. */
export const ErpError = defineErrors({
  // 400
  SEGMENT_RULES_INVALID: 'invalid',
  ASSIGNMENT_DATES_INVALID: 'invalid',
  BATCH_DATES_INVALID: 'invalid',
  BATCH_QUALITY_INVALID: 'invalid',
  QUANTITY_INVALID: 'invalid',
  PRICING_RULE_INVALID: 'invalid',
  PRICING_REQUEST_INVALID: 'invalid',
  ORDER_VALIDATION_ERROR: 'invalid',
  REPORT_RANGE_INVALID: 'invalid',
  ITEM_UOM_INVALID: 'invalid',
  // 401
  AUTH_REQUIRED: 'unauthenticated',
  // 403
  ROLE_FORBIDDEN: 'forbidden',
  // 404
  CUSTOMER_NOT_FOUND: 'not_found',
  ITEM_NOT_FOUND: 'not_found',
  WAREHOUSE_NOT_FOUND: 'not_found',
  SEGMENT_NOT_FOUND: 'not_found',
  ASSIGNMENT_NOT_FOUND: 'not_found',
  TERRITORY_MAPPING_NOT_FOUND: 'not_found',
  BATCH_NOT_FOUND: 'not_found',
  MOVEMENT_NOT_FOUND: 'not_found',
  PRICING_RULE_NOT_FOUND: 'not_found',
  ORDER_NOT_FOUND: 'not_found',
  // 409
  MASTER_EXISTS: 'conflict',
  SEGMENT_EXISTS: 'conflict',
  SEGMENT_INACTIVE: 'conflict',
  ASSIGNMENT_OVERLAP: 'conflict',
  PRIMARY_SEGMENT_OVERLAP: 'conflict',
  TERRITORY_MAPPING_OVERLAP: 'conflict',
  BATCH_EXISTS: 'conflict',
  BATCH_NOT_USABLE: 'conflict',
  BATCH_STATUS_TRANSITION: 'conflict',
  INSUFFICIENT_STOCK: 'conflict',
  MOVEMENT_NOT_REVERSIBLE: 'conflict',
  MOVEMENT_ALREADY_REVERSED: 'conflict',
  PRICING_RULE_EXISTS: 'conflict',
  COUPON_CODE_TAKEN: 'conflict',
  ORDER_ALREADY_CANCELLED: 'conflict',
});
export type ErpErrorCode = keyof typeof ErpError;
