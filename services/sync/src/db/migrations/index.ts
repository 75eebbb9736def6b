import { idempotencyMigration } from '@tributary/platform/idempotency';
import { importLogMigration } from '@tributary/platform/import-log';
import { outboxMigrations } from '@tributary/platform/outbox';
import { schedulerMigration } from '@tributary/platform/scheduler';
import { syncSchemaMigration } from './0001_sync_schema.js';
import { defaultConfigurationsMigration } from './0002_default_configurations.js';
import { notificationsMigration } from './0003_notifications.js';

export const migrations = [
  ...outboxMigrations,
  idempotencyMigration,
  schedulerMigration,
  importLogMigration,
  syncSchemaMigration,
  defaultConfigurationsMigration,
  notificationsMigration,
];
