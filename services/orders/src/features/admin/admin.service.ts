import { ORDERS_AGGREGATES, ORDERS_EVENT_TYPES, type UserChangedPayload } from '@tributary/contracts';
import { uuid } from '@tributary/platform/core';
import { writeEvents } from '@tributary/platform/outbox';
import { runCommand, type Command, type AdminDeps, type OrdersTrx } from '../../deps.js';
import { OrdersError } from '../../errors.js';
import * as repo from './admin.repository.js';
import type { UserCreateBody, UserOut } from './admin.schemas.js';

export const listUsers = (deps: AdminDeps): Promise<UserOut[]> => repo.listUsers(deps.db);

/**
 * Maps a user to their one MTP group. Credentials live at the gateway: a password sent here is
 * refused rather than silently dropped, so a client never believes it set one.
 */
export async function createUser(deps: AdminDeps, command: Command, body: UserCreateBody): Promise<UserOut> {
  if (body.password !== undefined) {
    throw OrdersError.ADMIN_USER_PASSWORD_REFUSED('Passwords are set at the gateway; send username and group only', {
      details: { field: 'password' },
    });
  }
  return runCommand(deps, command, async (trx) => {
    const user = await repo.insertUser(trx, {
      sub: body.sub ?? uuid(),
      username: body.username,
      group: body.group,
      created_at: command.now,
    });
    await userEvent(trx, command, ORDERS_EVENT_TYPES.userCreated, user);
    return user;
  });
}

export async function deleteUser(deps: AdminDeps, command: Command, sub: string): Promise<{ success: boolean }> {
  return runCommand(deps, command, async (trx) => {
    const user = await repo.deleteUser(trx, sub);
    if (!user) throw OrdersError.USER_NOT_FOUND(`No user ${sub}`, { details: { sub } });
    await userEvent(trx, command, ORDERS_EVENT_TYPES.userDeleted, user);
    return { success: true };
  });
}

async function userEvent(trx: OrdersTrx, command: Command, type: string, user: repo.UserRow): Promise<void> {
  await writeEvents(
    trx,
    [{ aggregateType: ORDERS_AGGREGATES.user, aggregateId: user.sub, type, payload: { ...user } satisfies UserChangedPayload }],
    { now: () => command.now },
  );
}
