import { sql, type ColumnType } from 'kysely';
import type { Migration, MigrationContext } from '../migrate/migrate.js';

export const OUTBOX_TABLE = 'outbox';
export const OUTBOX_SEQUENCE_TABLE = 'outbox_sequence';
export const INBOX_TABLE = 'inbox';

/** int8 columns arrive as strings (see db/create.ts) and are written as numbers or strings. */
type Int8 = ColumnType<string, string | number, string | number>;

/** The kernel's own tables in every service database, as the kernel reads and writes them. */
export interface OutboxTables {
  [OUTBOX_TABLE]: {
    position: ColumnType<string, never, never>;
    id: string;
    sequence: ColumnType<string | null, string | number | null, string | number | null>;
    aggregate_type: string;
    aggregate_id: string;
    type: string;
    payload: string;
    metadata: string | null;
    created_at: Int8;
  };
  [OUTBOX_SEQUENCE_TABLE]: { id: number; last_sequence: Int8 };
  [INBOX_TABLE]: { event_id: string; source: string; applied_at: Int8 };
}

/**
 * `position` orders rows as they were inserted; `sequence` is the order consumers see, given
 * only once a row is committed and visible (see feed.ts). Payload and metadata are JSON text
 * so the same code reads them on PostgreSQL and MariaDB.
 */
export const outboxMigration: Migration = {
  name: '0000_platform_1_outbox',
  up: async (db, { dialect }: MigrationContext) => {
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
  up: async (db) => {
    await db.schema
      .createTable(INBOX_TABLE)
      .ifNotExists()
      .addColumn('event_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('source', 'varchar(100)', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
