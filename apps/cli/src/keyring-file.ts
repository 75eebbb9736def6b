import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
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
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
  }
  return keyring;
}
