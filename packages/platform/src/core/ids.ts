import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

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

/*
 * Entropy for ids minted on every request (trace and span ids), drawn from the CSPRNG in
 * blocks: one randomBytes call per id cost two syscalls and a job dispatch, about a third of
 * the HTTP kernel's time per request. The bytes are the same CSPRNG output, each used once.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/** `bytes` (at most 4096) fresh random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  if (bytes < 1 || bytes > POOL_BYTES) throw new RangeError(`randomHex takes 1 to ${POOL_BYTES} bytes, not ${bytes}`);
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}
