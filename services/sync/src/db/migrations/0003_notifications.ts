import { sql } from 'kysely';
import type { Migration, MigrationContext } from '@tributary/platform/migrate';

/**
 * Notification channels: where alerts and job outcomes are sent (a signed webhook or e-mail
 * recipients) and which events each wants. Their deliveries are ordinary rows of sync_status
 * (target `notification:<id>`), so they share the queue's retries, dead letters and metrics.
 */
const STATEMENTS = [
  `create table sync_notification_channels (
    id uuid primary key default gen_random_uuid(),
    name varchar(150) not null unique,
    kind varchar(10) not null check (kind in ('webhook', 'email')),
    url varchar(2000),
    recipients jsonb,
    secret text,
    subscriptions jsonb not null default '[]',
    enabled boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    created_by varchar(200) not null,
    updated_by varchar(200),
    check ((kind = 'webhook' and url is not null and secret is not null) or (kind = 'email' and recipients is not null))
  )`,
];

export const notificationsMigration: Migration = {
  name: '0003_notifications',
  up: async (db, { dialect }: MigrationContext) => {
    if (dialect === 'mysql') throw new Error('The sync service needs PostgreSQL (or PGlite)');
    for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
  },
};
