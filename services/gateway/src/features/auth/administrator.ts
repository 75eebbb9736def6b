import type { ServiceContext } from '@tributary/platform/service';
import { readConfig } from '../../config.js';
import type { GatewayDatabase } from '../../db/schema.js';
import { passwordPolicy } from '../../deps.js';
import { GatewayError } from '../../errors.js';
import { DEMO_PASSWORD, demoUsers } from '../../seed.js';
import { checkPolicy, PasswordHasher } from './passwords.js';
import { readPasswordFile } from './password-file.js';
import { gatewayFieldCipher, UsersRepository } from './users.repository.js';

export { readPasswordFile };

type GatewayContext = Pick<ServiceContext<GatewayDatabase>, 'database' | 'env' | 'credentials' | 'logger'>;

/** `created_by` of an administrator made from the file at start-up, so the banner can say where it came from. */
export const FROM_PASSWORD_FILE = 'TRIBUTARY_ADMIN_PASSWORD_FILE';

export interface NewAdministrator {
  username: string;
  password: string;
  email?: string;
  createdBy: string;
}

async function usersOf(context: GatewayContext): Promise<UsersRepository> {
  const users = new UsersRepository(context.database.db, await gatewayFieldCipher(context));
  await users.ready();
  return users;
}

/** The gateway's password policy, checked before any database work so a refusal is quick. */
export function checkAdministratorPassword(env: Record<string, string | undefined>, password: string): void {
  checkPolicy(password, passwordPolicy(readConfig(env)));
}

/**
 * One administrator, under the gateway's own password policy and argon2id cost. A taken user
 * name answers USER_ALREADY_EXISTS and changes nothing (the database's uniqueness decides, so
 * two replicas racing cannot make two).
 */
export async function createAdministrator(context: GatewayContext, admin: NewAdministrator): Promise<void> {
  const policy = passwordPolicy(readConfig(context.env));
  checkPolicy(admin.password, policy);
  const users = await usersOf(context);
  if (await users.findByLogin(admin.username)) throw GatewayError.USER_ALREADY_EXISTS(`User "${admin.username}" already exists`);
  await users.create({
    userId: `usr_${admin.username.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`.slice(0, 140),
    username: admin.username,
    // The gateway needs a unique address; an operator sets the real one in the console later.
    email: admin.email ?? `${admin.username.toLowerCase()}@tributary.invalid`,
    passwordHash: await new PasswordHasher(policy).hash(admin.password),
    fullName: 'Administrator',
    role: 'administrator',
    tier: 'unlimited',
    createdBy: admin.createdBy,
  });
}

/**
 * At start-up: a gateway without any administrator makes TRIBUTARY_ADMIN_USERNAME (default
 * admin) from TRIBUTARY_ADMIN_PASSWORD_FILE, once; without the file it says how to make one.
 */
export async function ensureAdministrator(context: GatewayContext): Promise<void> {
  const users = await usersOf(context);
  if ((await users.administrators(1)).length > 0) return;
  const file = context.env.TRIBUTARY_ADMIN_PASSWORD_FILE;
  if (!file) {
    context.logger.warn(
      'The gateway has no administrator: create one with "tributary admin create --username <name>", or set TRIBUTARY_ADMIN_PASSWORD_FILE before starting',
    );
    return;
  }
  const username = context.env.TRIBUTARY_ADMIN_USERNAME || 'admin';
  try {
    await createAdministrator(context, { username, password: await readPasswordFile(file), createdBy: FROM_PASSWORD_FILE });
    context.logger.info({ username }, 'administrator created from TRIBUTARY_ADMIN_PASSWORD_FILE');
  } catch (error) {
    // Another replica made it first: that is the outcome wanted.
    if (GatewayError.USER_ALREADY_EXISTS.is(error)) return;
    throw error;
  }
}

/** The banner's lines: what a newcomer can log in with, told as it is in this database. */
export async function administratorNotes(context: GatewayContext, url: string): Promise<string[]> {
  const admins = await (await usersOf(context)).administrators(5);
  const login = (username: string, password: string) =>
    `Log in: curl -s ${url}/api/v1/auth/login -H "content-type: application/json" -d '{"username":"${username}","password":"${password}"}'`;
  if (admins.some((admin) => admin.createdBy === 'seed')) {
    return [
      `Demo logins (password "${DEMO_PASSWORD}"): ${demoUsers()
        .map((user) => user.username)
        .join(', ')}`,
      login('grandpass-officer', DEMO_PASSWORD),
    ];
  }
  const fromFile = admins.find((admin) => admin.createdBy === FROM_PASSWORD_FILE);
  if (fromFile) return [`Administrator ${fromFile.username} created from TRIBUTARY_ADMIN_PASSWORD_FILE`, login(fromFile.username, '…')];
  if (admins.length > 0) return [`Administrators: ${admins.map((admin) => admin.username).join(', ')}`, login(admins[0]!.username, '…')];
  return ['No administrator yet: create one with `tributary admin create --username <name>`'];
}
