import { idempotencyMigration } from '@tributary/platform/idempotency';
import { importLogMigration } from '@tributary/platform/import-log';
import type { Migration } from '@tributary/platform/migrate';
import { outboxMigrations } from '@tributary/platform/outbox';
import { ordersSchemaMigration } from './0001_orders_schema.js';

export const migrations: readonly Migration[] = [...outboxMigrations, idempotencyMigration, importLogMigration, ordersSchemaMigration];
