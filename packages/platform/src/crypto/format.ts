/**
 * The stored form of an encrypted field: `enc:v1:<keyId>:<base64url(iv ‖ ciphertext ‖ tag)>`.
 * The key id is in clear so a reader knows which data key to use and the re-encryption pass
 * can find values under an old key with a plain `like` on the column.
 */
export const CIPHERTEXT_PREFIX = 'enc:v1:';
// No `_` or `%`: a key id goes into a `like` pattern unescaped.
const KEY_ID = /^[A-Za-z0-9-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface ParsedCiphertext {
  keyId: string;
  sealed: Buffer;
}

export function isKeyId(value: string): boolean {
  return KEY_ID.test(value);
}

export function formatCiphertext(keyId: string, sealed: Buffer): string {
  return `${CIPHERTEXT_PREFIX}${keyId}:${sealed.toString('base64url')}`;
}

export function parseCiphertext(value: string): ParsedCiphertext | undefined {
  if (!value.startsWith(CIPHERTEXT_PREFIX)) return undefined;
  const rest = value.slice(CIPHERTEXT_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  const keyId = rest.slice(0, colon);
  const data = rest.slice(colon + 1);
  if (!isKeyId(keyId) || !BASE64URL.test(data)) return undefined;
  return { keyId, sealed: Buffer.from(data, 'base64url') };
}

/** True when the value looks like a ciphertext (cheap; does not authenticate). */
export function isCiphertext(value: unknown): value is string {
  return typeof value === 'string' && parseCiphertext(value) !== undefined;
}

/** The SQL `like` pattern matching every value under one data key. */
export function keyIdPattern(keyId: string): string {
  return `${CIPHERTEXT_PREFIX}${keyId}:%`;
}
