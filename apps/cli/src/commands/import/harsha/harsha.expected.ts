import { expect } from 'vitest';
import { PLANTED } from './harsha.dataset.js';
import type { HarshaReport } from './report.js';

/** What the import reports for the data set of harsha.dataset.ts, fault by fault and step by step. */
export const EXPECTED_FAULTS = {
  COLUMN_SET_DOCTYPE: 2,
  COLUMN_SET_KNEX: 1,
  REQUIRED_VALUE_MISSING: 2,
  MISSING_PARENT: 5,
  MOVEMENT_CHAIN_BROKEN: 1,
  BATCH_BALANCE_MISMATCH: 3,
  NEGATIVE_STOCK: 1,
  PARENT_HELD_BACK: 4,
  MOVEMENT_TYPE_UNKNOWN: 1,
  PASSWORD_RESET_REQUIRED: 3,
  VALUE_OUT_OF_DOMAIN: 2,
  TWO_FACTOR_REENROL: 1,
  API_KEY_ROTATE: 3,
  RECOVERY_TIMEOUT_UNIT: 7,
  ROUTE_DUPLICATE_ACTIVE: 1,
  ROUTE_LIMIT_OUT_OF_RANGE: 1,
  CONFIG_NAME_TAKEN: 3,
};

/** Step → [rows read, rows held back, rows new per target table]. */
export const EXPECTED_STEPS = {
  'erp:tabItem': [8, 0, { tabItem: 8 }],
  'erp:tabWarehouse': [3, 0, { tabWarehouse: 3 }],
  'erp:tabCustomer': [24, 0, { tabCustomer: 24 }],
  'erp:tabHD Customer Segment': [4, 0, { 'tabHD Customer Segment': 4 }],
  'erp:tabHD Customer Segment Assignment': [26, 2, { 'tabHD Customer Segment Assignment': 24 }],
  'erp:tabHD Batch Master': [400, 7, { 'tabHD Batch Master': 398, 'tabHD Batch Movement': 796 }],
  'erp:tabHD Batch Movement': [799, 1, {}],
  'erp:tabHD Dynamic Pricing Rule': [4, 0, { 'tabHD Dynamic Pricing Rule': 4 }],
  'erp:tabHD Pricing Rule Item': [4, 1, { 'tabHD Pricing Rule Item': 3 }],
  'erp:tabHD Volume Discount Slab': [3, 0, { 'tabHD Volume Discount Slab': 3 }],
  'gateway:api_users': [4, 0, { api_users: 4 }],
  'gateway:api_keys': [3, 0, { api_keys: 3 }],
  'gateway:service_routes': [7, 0, { service_routes: 7 }],
  'sync:sync_configurations': [4, 3, { sync_configurations: 1 }],
};

export const EXPECTED_HELD_BACK = [
  ['quarantined', 'tabHD Customer Segment Assignment', PLANTED.orphanAssignmentCustomer, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Customer Segment Assignment', PLANTED.orphanAssignmentSegment, 'MISSING_PARENT'],
  ['refused', 'tabHD Batch Master', PLANTED.outOfOrder, 'NEGATIVE_STOCK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00007-1', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00007-2', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00009-2', 'MOVEMENT_TYPE_UNKNOWN'],
  ['quarantined', 'tabHD Batch Master', PLANTED.missingItem, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00011-1', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00011-2', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', PLANTED.orphanMovement, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Pricing Rule Item', PLANTED.orphanRuleItem, 'MISSING_PARENT'],
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
];

export const stepSummary = (report: HarshaReport) =>
  Object.fromEntries(
    report.steps.map((step) => [step.step, [step.read, step.heldBack, Object.fromEntries(step.tables.map((t) => [t.table, t.new]))]]),
  );
export const heldBack = (report: HarshaReport) =>
  report.faults.filter((f) => f.decision !== 'fixed').map((f) => [f.decision, f.sourceTable, f.sourceKey, f.fault]);
