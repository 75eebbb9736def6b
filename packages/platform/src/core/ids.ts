import { randomUUID, randomBytes } from 'node:crypto';

export function uuid(): string {
  return randomUUID();
}

/**
 * A typed, prefixed id (`usr_3f9c…`) so a stray id in a log tells what it belongs to.
 * 16 random bytes in base32-ish hex keep it unguessable.
 */
export function prefixedId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** A url-safe random token (for secrets shown once). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
