import { dbConstraintName, dbErrorKind } from '@tributary/platform/db';
import type { OrdersDb, OrdersTrx } from '../../deps.js';
import { OrdersError } from '../../errors.js';

export interface UserRow {
  sub: string;
  username: string;
  group: string;
}

export async function listUsers(db: OrdersDb): Promise<UserRow[]> {
  return db.selectFrom('admin.user').select(['sub', 'username', 'group']).orderBy('username').execute();
}

export async function insertUser(trx: OrdersTrx, row: UserRow & { created_at: number }): Promise<UserRow> {
  try {
    // A savepoint-free insert: a unique violation aborts the transaction, which is rolled back anyway.
    return await trx.insertInto('admin.user').values(row).returning(['sub', 'username', 'group']).executeTakeFirstOrThrow();
  } catch (error) {
    if (dbErrorKind(error) === 'unique') {
      const constraint = dbConstraintName(error);
      if (constraint === 'admin_user_username_key')
        throw OrdersError.USER_USERNAME_TAKEN(`User name ${row.username} is taken`, { details: { username: row.username } });
      throw OrdersError.USER_EXISTS(`User ${row.sub} exists`, { details: { sub: row.sub } });
    }
    throw error;
  }
}

export async function deleteUser(trx: OrdersTrx, sub: string): Promise<UserRow | undefined> {
  return trx.deleteFrom('admin.user').where('sub', '=', sub).returning(['sub', 'username', 'group']).executeTakeFirst();
}
