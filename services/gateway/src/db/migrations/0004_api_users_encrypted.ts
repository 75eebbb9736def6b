import { sql } from '@tributary/platform/db';
import { createFieldKeyTable } from '@tributary/platform/crypto';
import type { Migration } from '@tributary/platform/migrate';

/**
 * `email` and `full_name` of api_users become encrypted fields (enc:v1:…, longer than the
 * value, hence `text`); email uniqueness and login by email move to `email_bidx`, the keyed
 * blind index. A migration has no master key, so rows that exist already are encrypted by the
 * gateway's start-up pass (UsersRepository.encryptExisting) before it serves a request.
 */
export const apiUsersEncryptedMigration: Migration = {
  name: '0004_api_users_encrypted',
  async up(db, context) {
    await createFieldKeyTable(db, context);
    for (const statement of [
      `alter table api_users alter column email type text`,
      `alter table api_users alter column full_name type text`,
      `alter table api_users drop constraint if exists api_users_email_key`,
      `alter table api_users add column if not exists email_bidx char(64)`,
      `create unique index if not exists idx_api_users_email_bidx on api_users (email_bidx)`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },
};
