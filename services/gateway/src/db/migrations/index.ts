import { outboxMigrations } from '@tributary/platform/outbox';
import { idempotencyMigration } from '@tributary/platform/idempotency';
import { importLogMigration } from '@tributary/platform/import-log';
import type { Migration } from '@tributary/platform/migrate';
import { gatewaySchemaMigration } from './0001_gateway_schema.js';
import { usageSummaryViewMigration } from './0002_usage_summary_view.js';
import { loginFailuresMigration } from './0003_login_failures.js';
import { apiUsersEncryptedMigration } from './0004_api_users_encrypted.js';
import { harshaCompatMigration } from './0005_harsha_compat.js';

export const migrations: readonly Migration[] = [
  ...outboxMigrations,
  idempotencyMigration,
  importLogMigration,
  gatewaySchemaMigration,
  usageSummaryViewMigration,
  loginFailuresMigration,
  apiUsersEncryptedMigration,
  harshaCompatMigration,
];
