import { idempotencyMigration } from '@tributary/platform/idempotency';
import { importLogMigration } from '@tributary/platform/import-log';
import { outboxMigrations } from '@tributary/platform/outbox';
import { syncSchemaMigration } from './0001_sync_schema.js';
import { defaultConfigurationsMigration } from './0002_default_configurations.js';

export const migrations = [
  ...outboxMigrations,
  idempotencyMigration,
  importLogMigration,
  syncSchemaMigration,
  defaultConfigurationsMigration,
];
