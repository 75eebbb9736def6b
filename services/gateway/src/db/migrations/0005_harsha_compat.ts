import { sql } from '@tributary/platform/db';
import type { Migration } from '@tributary/platform/migrate';

/**
 * What the original Harsha clients need beyond the first schema: TOTP two-factor per user and
 * an allowlist of browser origins per API key. Two-factor lives in its own table so the secret
 * never travels with the user row that most of the gateway reads.
 */
export const harshaCompatMigration: Migration = {
  name: '0005_harsha_compat',
  async up(db) {
    await sql
      .raw(
        `create table user_two_factor (
           user_id varchar(140) primary key references api_users(user_id) on delete cascade,
           secret_ciphertext text not null,
           enabled boolean not null default false,
           recovery_hashes jsonb not null default '[]',
           last_step bigint,
           created_at timestamptz not null default now(),
           enabled_at timestamptz
         )`,
      )
      .execute(db);
    await sql
      .raw(
        `create table login_challenges (
           challenge_id uuid primary key,
           user_id varchar(140) not null references api_users(user_id) on delete cascade,
           application varchar(10),
           remember_me boolean not null default false,
           attempts integer not null default 0,
           expires_at timestamptz not null
         )`,
      )
      .execute(db);
    await sql.raw(`alter table api_keys add column domain_whitelist jsonb`).execute(db);
  },
};
