import { sql } from '@tributary/platform/db';
import type { Migration } from '@tributary/platform/migrate';

/**
 * Failed logins per account and address (the lockout), apart from the users table: an
 * account locked from one address stays open from every other. `account` is `u:<user id>`
 * for a known user and `n:<name>` for a name that does not exist, so both lock alike.
 */
export const loginFailuresMigration: Migration = {
  name: '0003_login_failures',
  async up(db) {
    await sql
      .raw(
        `create table login_failures (
           account varchar(300) not null,
           client_ip varchar(64) not null,
           failures integer not null,
           first_failure_at timestamptz not null,
           locked_until timestamptz,
           primary key (account, client_ip)
         )`,
      )
      .execute(db);
    await sql.raw(`create index login_failures_expiry on login_failures (first_failure_at)`).execute(db);
  },
};
