import type { EntityKind } from '../overview/entity-kind.js';

/** The original service's rooms and the event each entity kind is announced with. */
export const UPDATES: Record<EntityKind, { room: string; event: string }> = {
  customer: { room: 'customers:updates', event: 'customer-update' },
  inventory: { room: 'inventory:updates', event: 'inventory-update' },
  order: { room: 'orders:updates', event: 'order-update' },
  pricing: { room: 'pricing:updates', event: 'pricing-update' },
};
export const ALERTS_ROOM = 'system:alerts';
export const ADMIN_ROOM = 'role:admin';

const OPEN_CHANNELS = ['system:status', 'inventory:updates', 'orders:updates', 'customers:updates', 'pricing:updates'];
const MANAGER_CHANNELS = ['sync:status', ALERTS_ROOM, 'admin:notifications'];
/** The gateway's administrator roles; the original called its administrator `admin`. */
const ADMIN_ROLES = ['administrator', 'MASTER-ADMIN', 'admin'];

export interface SocketUser {
  userId: string;
  roles: string[];
  /** Epoch seconds: the socket is closed when its token expires. */
  expiresAt: number | undefined;
}

export const isAdmin = (roles: readonly string[]) => roles.some((role) => ADMIN_ROLES.includes(role));
const isManager = (roles: readonly string[]) => isAdmin(roles) || roles.includes('manager');

/** The rooms a user joins on connecting: their own, one per role, and `role:admin` for administrators. */
export function automaticRooms(user: SocketUser): string[] {
  const rooms = [`user:${user.userId}`, ...user.roles.map((role) => `role:${role}`)];
  if (isAdmin(user.roles)) rooms.push(ADMIN_ROOM);
  return [...new Set(rooms)];
}

/** The original's channel rules: updates for everyone signed in, alerts and sync status for managers, the rest by name. */
export function canSubscribe(user: SocketUser, channel: string): boolean {
  if (isAdmin(user.roles)) return true;
  if (channel.startsWith('user:')) return channel === `user:${user.userId}`;
  if (channel.startsWith('role:')) return user.roles.includes(channel.slice('role:'.length));
  if (OPEN_CHANNELS.includes(channel)) return true;
  return MANAGER_CHANNELS.includes(channel) && isManager(user.roles);
}

export function supportedChannels(roles: readonly string[]): string[] {
  return isManager(roles) ? [...OPEN_CHANNELS, ...MANAGER_CHANNELS] : [...OPEN_CHANNELS];
}
