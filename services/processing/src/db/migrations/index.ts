import { idempotencyMigration } from '@tributary/platform/idempotency';
import { importLogMigration } from '@tributary/platform/import-log';
import type { Migration } from '@tributary/platform/migrate';
import { outboxMigrations } from '@tributary/platform/outbox';
import { schedulerMigration } from '@tributary/platform/scheduler';
import { masterDataMigration } from './0001_master_data.js';
import { recordsAndAllocationsMigration } from './0002_records_allocations.js';
import { rulesMigration } from './0003_rules.js';
import { lockFunctionsMigration } from './0004_lock_functions.js';
import { mtpIntegrationMigration } from './0005_mtp_integration.js';
import { reconciliationReportsMigration } from './0006_reconciliation_reports.js';
import { importTimesMigration } from './0007_import_times.js';
import { allocationFunctionsMigration } from './0008_allocation_functions.js';
import { recordUpdateWhenMigration } from './0009_record_update_when.js';

export const migrations: readonly Migration[] = [
  ...outboxMigrations,
  idempotencyMigration,
  schedulerMigration,
  importLogMigration,
  masterDataMigration,
  recordsAndAllocationsMigration,
  rulesMigration,
  lockFunctionsMigration,
  mtpIntegrationMigration,
  reconciliationReportsMigration,
  importTimesMigration,
  allocationFunctionsMigration,
  recordUpdateWhenMigration,
];
