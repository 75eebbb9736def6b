import { sql } from 'kysely';
import { createFieldKeyTable } from '@tributary/platform/crypto';
import type { Migration } from '@tributary/platform/migrate';
import { createIndex } from './ddl.js';

/**
 * ERPNext's contact fields on the customer, stored encrypted (see ADR 0305): `text` because a
 * ciphertext is longer than the value, and `email_id_bidx` (the blind index) for equality
 * lookups by email. The data keys live in `field_key`, wrapped by the service's master key.
 * `add column if not exists` works on PostgreSQL and MariaDB alike, so the step can rerun.
 */
export const customerContact: Migration = {
  name: '0006_customer_contact',
  up: async (db, context) => {
    await createFieldKeyTable(db, context);
    for (const column of ['email_id', 'mobile_no', 'primary_address', 'tax_id']) {
      await sql`alter table ${sql.table('tabCustomer')} add column if not exists ${sql.ref(column)} text`.execute(db);
    }
    await sql`alter table ${sql.table('tabCustomer')} add column if not exists ${sql.ref('email_id_bidx')} char(64)`.execute(db);
    await createIndex(db, 'hd_customer_email_bidx_idx', 'tabCustomer', ['email_id_bidx']);
  },
};
