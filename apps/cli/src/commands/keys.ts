import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger, type Logger } from '@tributary/platform/core';
import {
  addMasterKey,
  FieldCipher,
  FIELD_KEY_TABLE,
  loadOrCreateMasterKeyFile,
  readMasterKeyFile,
  rotateAndReencrypt,
  writeMasterKeyFile,
  type ServiceEncryption,
} from '@tributary/platform/crypto';
import { credentialsFor, readKeyringFile } from '@tributary/platform/service';
import { openServiceDatabase, pgliteTemplateOnce } from '../databases.js';

/** The services that hold encrypted fields. */
export const ENCRYPTED_SERVICES = ['erp', 'gateway'] as const;

export interface KeysRotateOptions {
  service: string;
  dataDir: string;
  env: Record<string, string | undefined>;
  /** Rotate the master key (re-wrap the data keys) instead of the data key. */
  master: boolean;
  batchSize: number;
}

export type KeysRotateReport =
  | { service: string; kind: 'data'; newKeyId: string; rewritten: number; retired: string[]; remaining: number }
  | { service: string; kind: 'master'; masterKeyId: string; file: string; rewrapped: number };

async function encryptionOf(service: string): Promise<ServiceEncryption> {
  if (!(ENCRYPTED_SERVICES as readonly string[]).includes(service))
    throw new Error(`"${service}" has no encrypted fields (one of: ${ENCRYPTED_SERVICES.join(', ')})`);
  // Resolved like the service definitions (services.ts): the CLI does not link every service.
  const module = (await import(import.meta.resolve(`@tributary/${service}/encryption`))) as { encryption?: ServiceEncryption };
  if (!module.encryption) throw new Error(`@tributary/${service}/encryption does not export "encryption"`);
  return module.encryption;
}

/** The service's own signing secret, from which a derived master key comes (gateway without a key file). */
async function serviceSecret(service: string, dataDir: string, env: Record<string, string | undefined>): Promise<string> {
  try {
    const keyring = await readKeyringFile(env.TRIBUTARY_KEYRING_FILE ?? resolve(dataDir, 'keyring.json'));
    return credentialsFor(keyring, service).secretAccessKey;
  } catch {
    return '';
  }
}

/**
 * `tributary keys rotate --service <name>`: on the service's own database (its
 * <NAME>_DATABASE_URL or the embedded directory), makes a new data key active, re-encrypts
 * every encrypted value in small batches and retires the old key; running replicas switch to
 * the new key within their key TTL and read either meanwhile. With `--master`, adds a new
 * master key to the key file and re-wraps the data keys (the values do not change).
 */
export async function keysRotateCommand(options: KeysRotateOptions, logger: Logger): Promise<KeysRotateReport> {
  const encryption = await encryptionOf(options.service);
  const dataDir = resolve(options.dataDir);
  const env = { ...options.env };
  const name = options.service.toUpperCase();
  if (env.DATABASE_URL && !env[`${name}_DATABASE_URL`]) env[`${name}_DATABASE_URL`] = env.DATABASE_URL;
  // Refused before any database is opened.
  const masterFile = options.master ? encryption.masterKeyFile({ env, dataDir }) : undefined;
  if (options.master && !masterFile) {
    throw new Error(
      `${options.service}'s master key is derived from its service secret; set TRIBUTARY_MASTER_KEY_FILE to a key file holding that key to rotate it (docs/operations.md)`,
    );
  }
  const { database } = await openServiceDatabase(options.service, dataDir, env, logger, pgliteTemplateOnce());
  try {
    try {
      await database.db.selectFrom(FIELD_KEY_TABLE).select('key_id').limit(1).execute();
    } catch {
      throw new Error(
        `${options.service} has no ${FIELD_KEY_TABLE} table yet: run "tributary migrate ${options.service}" (or start it) first`,
      );
    }
    if (masterFile) {
      const file = masterFile;
      const current = env.TRIBUTARY_MASTER_KEY_FILE ? await readMasterKeyFile(file) : await loadOrCreateMasterKeyFile(file);
      const next = addMasterKey(current);
      // The file first: if the re-wrap is interrupted, every key it already moved is still readable.
      await writeMasterKeyFile(file, next);
      const rewrapped = await new FieldCipher({ db: database.db, masterKeys: next }).store.rewrapAll();
      return { service: options.service, kind: 'master', masterKeyId: next.active, file, rewrapped };
    }
    const masterKeys = await encryption.masterKeys({ env, dataDir, secret: await serviceSecret(options.service, dataDir, env) });
    const cipher = new FieldCipher({ db: database.db, masterKeys });
    const report = await rotateAndReencrypt(database.db, cipher, encryption.tables, { batchSize: options.batchSize });
    return {
      service: options.service,
      kind: 'data',
      newKeyId: report.newKeyId,
      rewritten: report.rewritten,
      retired: report.retired,
      remaining: report.remaining,
    };
  } finally {
    await database.close();
  }
}

export function formatKeysReport(report: KeysRotateReport): string {
  if (report.kind === 'master') {
    return `${report.service}: master key ${report.masterKeyId} is active in ${report.file}; ${report.rewrapped} data key(s) re-wrapped. Restart the service's replicas, then remove the old master key from the file.\n`;
  }
  const retired = report.retired.length > 0 ? `retired ${report.retired.join(', ')}` : 'no key retired';
  const left = report.remaining > 0 ? `; ${report.remaining} value(s) were written under an old key meanwhile: run again` : '';
  return `${report.service}: data key ${report.newKeyId} is active; ${report.rewritten} row(s) re-encrypted; ${retired}${left}\n`;
}

/** `tributary keys rotate`; registered from main.ts. */
export function registerKeysCommand(program: Command): void {
  program
    .command('keys')
    .description('field encryption keys (docs/operations.md, "Encryption at rest")')
    .command('rotate')
    .description('new data key + re-encryption of every value (or, with --master, a new master key + re-wrap)')
    .requiredOption('--service <name>', ENCRYPTED_SERVICES.join(' | '))
    .option('--master', 'rotate the master key instead of the data key')
    .option('--batch-size <n>', 'rows re-encrypted per batch', (v) => Number(v), 100)
    .option('--json', 'print the report as JSON')
    .action(async (options: { service: string; master?: boolean; batchSize: number; json?: boolean }) => {
      const global = program.opts<{ dataDir: string; logLevel: string }>();
      const logger = createLogger({ name: 'tributary', level: global.logLevel });
      const report = await keysRotateCommand(
        {
          service: options.service,
          dataDir: global.dataDir,
          env: process.env,
          master: options.master === true,
          batchSize: options.batchSize,
        },
        logger,
      );
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatKeysReport(report));
      process.exitCode = report.kind === 'data' && report.remaining > 0 ? 2 : 0;
    });
}
