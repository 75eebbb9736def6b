import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { keyringPrincipals, parseKeyring, rotateKeyring, type Keyring } from '@tributary/platform/service';
import { CliError, refusalsToExitCodes } from '../cli-error.js';
import { writeKeyringFile } from '../keyring-file.js';
import { SERVICE_NAMES } from '../services.js';

/** Every service signs with its own key; the CLI has one for the calls it makes (reconcile). */
export const KEYRING_PRINCIPALS: readonly string[] = [...SERVICE_NAMES, 'cli'];

/** --file, else TRIBUTARY_KEYRING_FILE (what the services read), else the data directory's keyring.json (what `up` reads). */
export function keyringPath(file: string | undefined, dataDir: string, env: Record<string, string | undefined>): string {
  return resolve(file ?? env.TRIBUTARY_KEYRING_FILE ?? resolve(dataDir, 'keyring.json'));
}

/** `tributary keyring init`: a new ring with one key per principal; an existing file is kept unless forced. */
export async function keyringInit(path: string, options: { force: boolean }): Promise<Keyring> {
  const { keyring } = rotateKeyring({ keys: {} }, KEYRING_PRINCIPALS);
  try {
    await writeKeyringFile(path, keyring, { exclusive: !options.force });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new CliError(
        'KEYRING_EXISTS',
        `${path} already exists; pass --force to replace it (every service must then get the new file)`,
        3,
      );
    throw error;
  }
  return keyring;
}

/** `tributary keyring rotate`: a new signing key per principal, the old keys kept for verification. */
export async function keyringRotate(path: string): Promise<{ keyring: Keyring; added: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError('KEYRING_NOT_FOUND', `${path} does not exist; create it with "tributary keyring init"`, 4);
    throw error;
  }
  const rotated = rotateKeyring(parseKeyring(text, path), keyringPrincipals(parseKeyring(text, path)));
  await writeKeyringFile(path, rotated.keyring);
  return rotated;
}

export function registerKeyringCommand(program: Command): void {
  const keyring = program.command('keyring').description('the service keyring (TRIBUTARY_KEYRING_FILE) services sign and verify with');
  const fileOption = () => new Option('--file <file>', 'the keyring file (default: TRIBUTARY_KEYRING_FILE, else <data-dir>/keyring.json)');
  keyring
    .command('init')
    .description('write a new keyring, one key per service (mode 0600)')
    .addOption(fileOption())
    .option('--force', 'replace an existing file')
    .action(
      refusalsToExitCodes(async (options: { file?: string; force?: boolean }) => {
        const path = keyringPath(options.file, program.opts<{ dataDir: string }>().dataDir, process.env);
        const written = await keyringInit(path, { force: options.force === true });
        process.stdout.write(`Wrote ${path} with ${Object.keys(written.keys).length} keys (${KEYRING_PRINCIPALS.join(', ')})\n`);
      }),
    );
  keyring
    .command('rotate')
    .description('add a new key per service; services sign with it after a restart, the old keys still verify')
    .addOption(fileOption())
    .action(
      refusalsToExitCodes(async (options: { file?: string }) => {
        const path = keyringPath(options.file, program.opts<{ dataDir: string }>().dataDir, process.env);
        const { added } = await keyringRotate(path);
        process.stdout.write(
          `Added ${added.length} keys to ${path}: ${added.join(', ')}\nCopy the file to every service and restart them; remove the old keys once no caller signs with them.\n`,
        );
      }),
    );
}
