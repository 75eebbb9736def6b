import { idempotencyMigration } from '@tributary/platform/idempotency';
import { importLogMigration } from '@tributary/platform/import-log';
import type { Migration } from '@tributary/platform/migrate';
import { outboxMigrations } from '@tributary/platform/outbox';
import { schedulerMigration } from '@tributary/platform/scheduler';
import { coreTables } from './0001_core_tables.js';
import { segmentTables } from './0002_segments.js';
import { batchTables } from './0003_batches.js';
import { pricingTables } from './0004_pricing.js';
import { pricingRulesVersion } from './0005_pricing_rules_version.js';
import { customerContact } from './0006_customer_contact.js';
import { orderTables } from './0007_orders.js';
import { pricingErpnextModel } from './0008_pricing_erpnext_model.js';
import { itemUoms } from './0009_item_uoms.js';
import { monthlyPartitions } from './0010_monthly_partitions.js';
import { perfIndexes } from './0012_perf_indexes.js';

export const migrations: readonly Migration[] = [
  ...outboxMigrations,
  idempotencyMigration,
  schedulerMigration,
  importLogMigration,
  coreTables,
  segmentTables,
  batchTables,
  pricingTables,
  pricingRulesVersion,
  customerContact,
  orderTables,
  pricingErpnextModel,
  itemUoms,
  monthlyPartitions,
  perfIndexes,
];
