import type { UserRow } from './users.repository.js';
import { ADMIN_ROLES } from '../admin/admin-guard.js';

/** The original Harsha front ends a login names. */
export const APPLICATIONS = ['b2c', 'b2b', 'admin'] as const;
export type Application = (typeof APPLICATIONS)[number];

/** The lowest roles the original B2C and B2B front ends knew; self-registration grants only these. */
export const REGISTRATION_ROLES = { b2c: 'customer', b2b: 'business_user' } as const;

export function isApplication(value: unknown): value is Application {
  return typeof value === 'string' && (APPLICATIONS as readonly string[]).includes(value);
}

/**
 * Which application a user may sign in to, from the api_users fields the original kept
 * (user_type, role): service accounts never sign in to a front end; the admin application
 * is for the roles the admin API admits; a shop customer may use the shop (b2c) and nothing
 * else, while business users and staff may use b2c and b2b.
 */
export function mayUseApplication(user: Pick<UserRow, 'role' | 'user_type'>, application: Application): boolean {
  if (user.user_type === 'service') return false;
  if (application === 'admin') return ADMIN_ROLES.includes(user.role);
  if (application === 'b2b') return user.role !== REGISTRATION_ROLES.b2c;
  return true;
}
