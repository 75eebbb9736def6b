import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateServiceKey, parseKeyring, type Keyring } from '@tributary/platform/service';

/**
 * The embedded platform's service keys live in the data directory (mode 0600) and are made on
 * first start; a principal added later (a new service) gets its key on the next start.
 */
export async function loadOrCreateKeyring(path: string, principals: readonly string[]): Promise<Keyring> {
  let keyring: Keyring = { keys: {} };
  try {
    keyring = parseKeyring(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const have = new Set(Object.values(keyring.keys).map((key) => key.principal));
  const missing = principals.filter((principal) => !have.has(principal));
  if (missing.length > 0) {
    for (const principal of missing) {
      const key = generateServiceKey(principal);
      keyring.keys[key.accessKeyId] = { secretAccessKey: key.secretAccessKey, principal };
    }
    await writeKeyringFile(path, keyring);
  }
  return keyring;
}

/**
 * Written beside the target and renamed over it, so a service starting meanwhile reads either
 * the old ring or the new one, never half of one. 0600 before any secret is in the file.
 */
export async function writeKeyringFile(path: string, keyring: Keyring, options: { exclusive?: boolean } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const text = `${JSON.stringify(keyring, null, 2)}\n`;
  if (options.exclusive) {
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
  } else {
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, path);
  }
  await chmod(path, 0o600);
}
