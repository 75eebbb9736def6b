import { sql } from 'kysely';
import type { Migration, MigrationContext } from '../migrate/migrate.js';

export const IDEMPOTENCY_TABLE = 'idempotency_key';

export const idempotencyMigration: Migration = {
  name: '0000_platform_3_idempotency',
  up: async (db, { dialect }: MigrationContext) => {
    const mysql = dialect === 'mysql';
    await db.schema
      .createTable(IDEMPOTENCY_TABLE)
      .ifNotExists()
      .addColumn('scope', 'varchar(255)', (c) => c.notNull())
      .addColumn('idem_key', 'varchar(200)', (c) => c.notNull())
      .addColumn('request_hash', 'char(64)', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('content_type', 'varchar(200)')
      .addColumn('response_body', mysql ? sql`longtext` : 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_key_pk', ['scope', 'idem_key'])
      .execute();
    await db.schema.createIndex('idempotency_key_expires_idx').ifNotExists().on(IDEMPOTENCY_TABLE).column('expires_at').execute();
  },
};
