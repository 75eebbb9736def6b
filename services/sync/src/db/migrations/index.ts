import { idempotencyMigration } from '@tributary/platform/idempotency';
import { outboxMigrations } from '@tributary/platform/outbox';
import { schedulerMigration } from '@tributary/platform/scheduler';
import { syncSchemaMigration } from './0001_sync_schema.js';
import { defaultConfigurationsMigration } from './0002_default_configurations.js';

export const migrations = [
  ...outboxMigrations,
  idempotencyMigration,
  schedulerMigration,
  syncSchemaMigration,
  defaultConfigurationsMigration,
];
