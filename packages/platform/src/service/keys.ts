import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SigningCredentials } from '../auth/sign.js';
import type { CredentialRecord } from '../auth/verify.js';

/**
 * The keyring of service credentials: which access keys may call a service (verification)
 * and the key a service signs its own calls with. Every Tributary service and the gateway
 * has its own key; the principal is the service name.
 */
export interface Keyring {
  /** accessKeyId → secret and principal. */
  keys: Record<string, { secretAccessKey: string; principal: string }>;
}

export function generateServiceKey(principal: string): { accessKeyId: string; secretAccessKey: string; principal: string } {
  return {
    accessKeyId: `TRB${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
    principal,
  };
}

export function keyringLookup(keyring: Keyring): (accessKeyId: string) => CredentialRecord | undefined {
  return (accessKeyId) => {
    const key = Object.hasOwn(keyring.keys, accessKeyId) ? keyring.keys[accessKeyId] : undefined;
    return key ? { secretAccessKey: key.secretAccessKey, principal: key.principal } : undefined;
  };
}

/**
 * A keyring with one new key per principal, listed before the keys it already had: a service
 * signs with the first key of its principal, so callers switch to the new key on restart while
 * every older key still verifies until an operator removes it.
 */
export function rotateKeyring(keyring: Keyring, principals: readonly string[]): { keyring: Keyring; added: string[] } {
  const fresh: Keyring['keys'] = {};
  const added: string[] = [];
  for (const principal of principals) {
    const key = generateServiceKey(principal);
    fresh[key.accessKeyId] = { secretAccessKey: key.secretAccessKey, principal };
    added.push(key.accessKeyId);
  }
  return { keyring: { keys: { ...fresh, ...keyring.keys } }, added };
}

/** The principals a keyring holds keys for, each once. */
export function keyringPrincipals(keyring: Keyring): string[] {
  return [...new Set(Object.values(keyring.keys).map((key) => key.principal))];
}

/** The first key of the principal signs; later keys of the same principal only verify. */
export function credentialsFor(keyring: Keyring, principal: string): SigningCredentials {
  const entry = Object.entries(keyring.keys).find(([, key]) => key.principal === principal);
  if (!entry) throw new Error(`No service key for "${principal}" in the keyring`);
  return { accessKeyId: entry[0], secretAccessKey: entry[1].secretAccessKey };
}

export function parseKeyring(text: string, source: string): Keyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  const keys = (parsed as Keyring | undefined)?.keys;
  if (!keys || typeof keys !== 'object')
    throw new Error(`${source} must look like {"keys": {"<accessKeyId>": {"secretAccessKey": "…", "principal": "<service>"}}}`);
  for (const [id, key] of Object.entries(keys)) {
    if (typeof key?.secretAccessKey !== 'string' || key.secretAccessKey.length < 16 || typeof key.principal !== 'string') {
      throw new Error(`${source}: key ${id} needs a secretAccessKey of at least 16 characters and a principal`);
    }
  }
  return { keys };
}

export async function readKeyringFile(path: string): Promise<Keyring> {
  return parseKeyring(await readFile(path, 'utf8'), path);
}
