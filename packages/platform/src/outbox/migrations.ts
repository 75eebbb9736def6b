import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationContext } from '../migrate/migrate.js';

export const OUTBOX_TABLE = 'outbox';
export const OUTBOX_SEQUENCE_TABLE = 'outbox_sequence';
export const INBOX_TABLE = 'inbox';

/**
 * `position` orders rows as they were inserted; `sequence` is the order consumers see, given
 * only once a row is committed and visible (see feed.ts). Payload and metadata are JSON text
 * so the same code reads them on PostgreSQL and MariaDB.
 */
export const outboxMigration: Migration = {
  name: '0000_platform_1_outbox',
  up: async (db: Kysely<any>, { dialect }: MigrationContext) => {
    const mysql = dialect === 'mysql';
    await db.schema
      .createTable(OUTBOX_TABLE)
      .ifNotExists()
      .addColumn('position', mysql ? 'bigint' : 'bigserial', (c) => (mysql ? c.autoIncrement().primaryKey() : c.primaryKey()))
      .addColumn('id', 'varchar(36)', (c) => c.notNull().unique())
      .addColumn('sequence', 'bigint', (c) => c.unique())
      .addColumn('aggregate_type', 'varchar(100)', (c) => c.notNull())
      .addColumn('aggregate_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('type', 'varchar(200)', (c) => c.notNull())
      .addColumn('payload', mysql ? sql`longtext` : 'text', (c) => c.notNull())
      .addColumn('metadata', mysql ? sql`text` : 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable(OUTBOX_SEQUENCE_TABLE)
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_sequence', 'bigint', (c) => c.notNull())
      .execute();
    const existing = await db.selectFrom(OUTBOX_SEQUENCE_TABLE).select('id').where('id', '=', 1).executeTakeFirst();
    if (!existing) await db.insertInto(OUTBOX_SEQUENCE_TABLE).values({ id: 1, last_sequence: 0 }).execute();
  },
};

export const inboxMigration: Migration = {
  name: '0000_platform_2_inbox',
  up: async (db: Kysely<any>) => {
    await db.schema
      .createTable(INBOX_TABLE)
      .ifNotExists()
      .addColumn('event_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('source', 'varchar(100)', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
