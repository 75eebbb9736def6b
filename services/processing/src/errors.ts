/**
 * The service's stable error codes. 400s come from request validation
 * (REQUEST_VALIDATION_FAILED) or the codes marked "invalid"; 404s name what is missing; 409s
 * name the rule that refused the change. The database raises the same codes (SQLSTATE TR409 /
 * TR404, see migrations/0001) so a refusal reads the same whichever layer caught it.
 */
export const ErrorCodes = {
  // 400
  weightInvalid: 'WEIGHT_INVALID',
  batchUpdateInvalid: 'BATCH_UPDATE_INVALID',
  mixtureDuplicate: 'MIXTURE_DUPLICATE',
  reduceNotSupported: 'REDUCE_NOT_SUPPORTED',
  // 403
  traderRoleForbidden: 'TRADER_ROLE_FORBIDDEN',
  // 404
  lotNotFound: 'LOT_NOT_FOUND',
  batchNotFound: 'BATCH_NOT_FOUND',
  blendsheetNotFound: 'BLENDSHEET_NOT_FOUND',
  flavorsheetNotFound: 'FLAVORSHEET_NOT_FOUND',
  recordNotFound: 'RECORD_NOT_FOUND',
  locationNotFound: 'LOCATION_NOT_FOUND',
  allocationNotFound: 'ALLOCATION_NOT_FOUND',
  // 409
  itemExists: 'ITEM_EXISTS',
  blendsheetExists: 'BLENDSHEET_EXISTS',
  flavorsheetExists: 'FLAVORSHEET_EXISTS',
  locationExists: 'LOCATION_EXISTS',
  locationHerblineOnly: 'LOCATION_HERBLINE_ONLY',
  locationNotHerblineSection: 'LOCATION_NOT_HERBLINE_SECTION',
  tealineBagLimit: 'TEALINE_BAG_LIMIT_REACHED',
  blendbalanceWeightExceeded: 'BLENDBALANCE_WEIGHT_EXCEEDED',
  batchLimit: 'BLENDSHEET_BATCH_LIMIT_REACHED',
  batchesBelowCreated: 'BLENDSHEET_BATCHES_BELOW_CREATED',
  flavorsheetBatchExists: 'FLAVORSHEET_BATCH_EXISTS',
  batchCompleted: 'BATCH_COMPLETED',
  batchQcLocked: 'BATCH_QC_LOCKED',
  traderTransitionInvalid: 'TRADER_TRANSITION_INVALID',
  recordDispatched: 'RECORD_DISPATCHED',
  recordNotEligible: 'RECORD_NOT_ELIGIBLE',
  reduceExceedsRemaining: 'RECORD_REDUCE_EXCEEDS_REMAINING',
  allocationExceedsAvailable: 'ALLOCATION_EXCEEDS_AVAILABLE',
  batchTraderBlocked: 'BATCH_TRADER_BLOCKED',
  batchNotTraderAllowed: 'BATCH_NOT_TRADER_ALLOWED',
  parcelWithoutShipment: 'PARCEL_WITHOUT_SHIPMENT_ALLOCATION',
  parcelExceedsShipment: 'PARCEL_EXCEEDS_SHIPMENT_ALLOCATION',
  allocationHasParcels: 'ALLOCATION_HAS_PARCELS',
} as const;
