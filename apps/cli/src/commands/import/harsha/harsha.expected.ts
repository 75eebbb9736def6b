import { expect } from 'vitest';
import { sortedFindings, type ImportReport } from '../common/report.js';
import { PLANTED } from './harsha.dataset.js';

/** The report reduced to what the data set of harsha.dataset.ts fixes exactly. */
export function summarise(report: ImportReport) {
  const byFault: Record<string, number> = {};
  for (const finding of report.findings) byFault[finding.fault] = (byFault[finding.fault] ?? 0) + 1;
  const totals = { read: 0, new: 0, unchanged: 0, fixed: 0, quarantined: 0, refused: 0 };
  const tables: Record<string, number[]> = {};
  for (const t of report.tables) {
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += t[key];
    tables[t.sourceTable] = [t.read, t.new, t.unchanged, t.fixed, t.quarantined, t.refused];
  }
  const heldBack = sortedFindings(report)
    .filter((f) => f.decision !== 'fixed')
    .map((f) => [f.decision, f.sourceTable, f.sourceKey, f.fault]);
  return { byFault, totals, tables, heldBack };
}

export const EXPECTED_FAULTS = {
  COLUMN_SET_DOCTYPE: 2,
  COLUMN_SET_KNEX: 1,
  REQUIRED_VALUE_MISSING: 2,
  MISSING_PARENT: 6,
  MOVEMENT_CHAIN_BROKEN: 1,
  BATCH_WITHOUT_RECEIPT: 9,
  BATCH_BALANCE_MISMATCH: 11,
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

/** Source table → [read, new, unchanged, fixed, quarantined, refused] on a first import. */
export const EXPECTED_TABLES: Record<string, number[]> = {
  tabItem: [8, 8, 0, 0, 0, 0],
  tabWarehouse: [3, 3, 0, 0, 0, 0],
  tabCustomer: [24, 24, 0, 0, 0, 0],
  'tabHD Customer Segment': [4, 4, 0, 1, 0, 0],
  'tabHD Customer Segment Assignment': [26, 24, 0, 2, 2, 0],
  // The findings about a batch's movements are counted with the batch.
  'tabHD Batch Master': [400, 398, 0, 21, 6, 1],
  'tabHD Batch Movement': [783, 777, 0, 0, 1, 0],
  'tabHD Batch Consumption Log': [17, 16, 0, 0, 1, 0],
  'tabHD Dynamic Pricing Rule': [4, 4, 0, 2, 0, 0],
  'tabHD Pricing Rule Item': [4, 3, 0, 0, 1, 0],
  'tabHD Volume Discount Slab': [3, 3, 0, 0, 0, 0],
  api_users: [4, 4, 0, 5, 0, 0],
  api_keys: [3, 3, 0, 3, 0, 0],
  service_routes: [7, 7, 0, 9, 0, 0],
  sync_configurations: [4, 1, 0, 1, 3, 0],
};

export const EXPECTED_HELD_BACK = [
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
  ['quarantined', 'tabHD Batch Consumption Log', PLANTED.orphanConsumption, 'MISSING_PARENT'],
  ['refused', 'tabHD Batch Master', PLANTED.outOfOrder, 'NEGATIVE_STOCK'],
  ['quarantined', 'tabHD Batch Master', PLANTED.missingItem, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00007-1', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00007-2', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00009-2', 'MOVEMENT_TYPE_UNKNOWN'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00011-1', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00011-2', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', PLANTED.orphanMovement, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Customer Segment Assignment', PLANTED.orphanAssignmentCustomer, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Customer Segment Assignment', PLANTED.orphanAssignmentSegment, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Pricing Rule Item', PLANTED.orphanRuleItem, 'MISSING_PARENT'],
];
