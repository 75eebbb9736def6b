import { hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KEY_BYTES } from './aead.js';
import { cryptoFailure, CryptoError } from './errors.js';

/**
 * The master keys (key-encryption keys) of a service: they only wrap the data keys stored in
 * the service's database and never go there themselves. `active` wraps new data keys; the
 * others stay until every data key has been re-wrapped (KEK rotation).
 */
export interface MasterKeys {
  active: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** The file form: `{"active": "mk-…", "keys": {"mk-…": "<base64 of 32 bytes>"}}`, mode 0600. */
interface MasterKeyFile {
  active: string;
  keys: Record<string, string>;
}

export const MASTER_KEY_FILE_NAME = 'master-keys.json';

export function parseMasterKeys(text: string, source: string): MasterKeys {
  let parsed: Partial<MasterKeyFile> | undefined;
  try {
    parsed = JSON.parse(text) as Partial<MasterKeyFile>;
  } catch {
    throw cryptoFailure(CryptoError.MasterKeysInvalid, `${source} is not valid JSON`);
  }
  const shape = `${source} must look like {"active": "<id>", "keys": {"<id>": "<base64 of 32 bytes>"}}`;
  if (!parsed || typeof parsed.keys !== 'object' || parsed.keys === null || typeof parsed.active !== 'string') {
    throw cryptoFailure(CryptoError.MasterKeysInvalid, shape);
  }
  const keys = new Map<string, Buffer>();
  for (const [id, encoded] of Object.entries(parsed.keys)) {
    const key = typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    // The message names the key id only, never the key.
    if (key.length !== KEY_BYTES)
      throw cryptoFailure(CryptoError.MasterKeysInvalid, `${source}: master key ${id} is not 32 bytes of base64`);
    keys.set(id, key);
  }
  if (!keys.has(parsed.active))
    throw cryptoFailure(CryptoError.MasterKeysInvalid, `${source}: the active master key ${parsed.active} is not in "keys"`);
  return { active: parsed.active, keys };
}

export function newMasterKeyId(now: Date = new Date()): string {
  return `mk-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
}

export function serialiseMasterKeys(masterKeys: MasterKeys): string {
  const file: MasterKeyFile = {
    active: masterKeys.active,
    keys: Object.fromEntries([...masterKeys.keys].map(([id, key]) => [id, key.toString('base64')])),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export async function readMasterKeyFile(path: string): Promise<MasterKeys> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw cryptoFailure(CryptoError.MasterKeysInvalid, `cannot read the master key file ${path}`, error);
  }
  return parseMasterKeys(text, path);
}

export async function writeMasterKeyFile(path: string, masterKeys: MasterKeys): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, serialiseMasterKeys(masterKeys), { mode: 0o600 });
  await chmod(path, 0o600);
}

/** Like the embedded platform's keyring: made with one fresh master key on first use. */
export async function loadOrCreateMasterKeyFile(path: string): Promise<MasterKeys> {
  try {
    return parseMasterKeys(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = newMasterKeyId();
  const created: MasterKeys = { active: id, keys: new Map([[id, randomBytes(KEY_BYTES)]]) };
  await writeMasterKeyFile(path, created);
  return created;
}

/** A new active master key beside the existing ones (step 1 of a KEK rotation). */
export function addMasterKey(masterKeys: MasterKeys): MasterKeys {
  const id = newMasterKeyId();
  return { active: id, keys: new Map([...masterKeys.keys, [id, randomBytes(KEY_BYTES)]]) };
}

/**
 * Where a service finds its master keys: `TRIBUTARY_MASTER_KEY_FILE` when set (production:
 * a file the operator provisions and backs up), otherwise `master-keys.json` in the data
 * directory of the embedded platform, next to its keyring (`TRIBUTARY_DATA_DIR`, default
 * `.tributary`).
 */
export function masterKeyFilePath(env: Record<string, string | undefined>): { path: string; explicit: boolean } {
  if (env.TRIBUTARY_MASTER_KEY_FILE) return { path: resolve(env.TRIBUTARY_MASTER_KEY_FILE), explicit: true };
  return { path: resolve(env.TRIBUTARY_DATA_DIR ?? '.tributary', MASTER_KEY_FILE_NAME), explicit: false };
}

/** An explicitly configured file must exist (a typo must not silently start a new key); the embedded default is created. */
export async function loadMasterKeys(env: Record<string, string | undefined>): Promise<MasterKeys> {
  const { path, explicit } = masterKeyFilePath(env);
  return explicit ? readMasterKeyFile(path) : loadOrCreateMasterKeyFile(path);
}

/** The id of a master key derived from a service secret (see `masterKeysFromSecret`). */
export const DERIVED_MASTER_KEY_ID = 'mk-derived-1';

/**
 * A master key derived (HKDF-SHA256) from a secret the service's replicas already share, for
 * deployments without a key file: the same precedent as the gateway sealing its signing keys
 * with its service secret. Changing that secret then needs a master key rotation first.
 */
export function masterKeysFromSecret(secret: string, purpose: string): MasterKeys {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'tributary-master-key-v1', purpose, KEY_BYTES));
  return { active: DERIVED_MASTER_KEY_ID, keys: new Map([[DERIVED_MASTER_KEY_ID, key]]) };
}
