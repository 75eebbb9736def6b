import type { ServiceContext } from '@tributary/platform/service';
import { readConfig } from './config.js';
import type { GatewayDatabase } from './db/schema.js';
import { PasswordHasher } from './features/auth/passwords.js';
import { gatewayFieldCipher, UsersRepository } from './features/auth/users.repository.js';
import { MTP_GROUPS } from '@tributary/contracts';
import { installDefaultRoutes } from './features/routing/default-routes.js';
import { RoutesRepository } from './features/routing/routes.repository.js';
import { passwordPolicy } from './deps.js';
import { GatewayError } from './errors.js';

export const DEMO_PASSWORD = 'tributary-demo';

/** admin plus one user per MTP group, named after the group in lower case (grandpass-officer, …). */
export function demoUsers() {
  return [
    { username: 'admin', role: 'administrator', fullName: 'Platform Administrator', tier: 'unlimited' as const },
    ...MTP_GROUPS.map((group) => ({
      username: group.toLowerCase(),
      role: group,
      fullName: group
        .split('-')
        .map((word) => word[0] + word.slice(1).toLowerCase())
        .join(' '),
      tier: 'standard' as const,
    })),
  ];
}

/** Idempotent: users and routes that already exist are left as they are. */
export async function seed(context: ServiceContext<GatewayDatabase>): Promise<void> {
  const db = context.database.db;
  const users = new UsersRepository(db, await gatewayFieldCipher(context));
  const routes = new RoutesRepository(db);
  const hasher = new PasswordHasher(passwordPolicy(readConfig(context.env)));
  const hash = await hasher.hash(DEMO_PASSWORD);
  for (const user of demoUsers()) {
    if (await users.findByLogin(user.username)) continue;
    await createUnlessCreated(users, {
      userId: `usr_${user.username.replace(/-/g, '_')}`,
      username: user.username,
      email: `${user.username}@demo.tributary.local`,
      passwordHash: hash,
      fullName: user.fullName,
      role: user.role,
      tier: user.tier,
      createdBy: 'seed',
    });
  }
  await seedRoutes(routes);
}

/** Replicas starting together on a new database seed the same users; the one that loses the race finds the user there. */
async function createUnlessCreated(users: UsersRepository, user: Parameters<UsersRepository['create']>[0]): Promise<void> {
  try {
    await users.create(user);
  } catch (error) {
    if (!GatewayError.USER_ALREADY_EXISTS.is(error)) throw error;
  }
}

export const seedRoutes = installDefaultRoutes;
