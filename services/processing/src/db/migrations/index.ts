import { idempotencyMigration } from '@tributary/platform/idempotency';
import { importLogMigration } from '@tributary/platform/import-log';
import type { Migration } from '@tributary/platform/migrate';
import { outboxMigrations } from '@tributary/platform/outbox';
import { masterDataMigration } from './0001_master_data.js';
import { recordsAndAllocationsMigration } from './0002_records_allocations.js';
import { rulesMigration } from './0003_rules.js';
import { lockFunctionsMigration } from './0004_lock_functions.js';
import { mtpIntegrationMigration } from './0005_mtp_integration.js';

export const migrations: readonly Migration[] = [
  ...outboxMigrations,
  idempotencyMigration,
  importLogMigration,
  masterDataMigration,
  recordsAndAllocationsMigration,
  rulesMigration,
  lockFunctionsMigration,
  mtpIntegrationMigration,
];
