import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger, isAppError, type Logger } from '@tributary/platform/core';
import type { Database } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { credentialsFor, readKeyringFile, type ServiceContext } from '@tributary/platform/service';
import { CliError, refusalsToExitCodes } from '../cli-error.js';
import { openServiceDatabase, pgliteTemplateOnce } from '../databases.js';
import { loadOrCreateKeyring } from '../keyring-file.js';
import { promptHidden } from '../prompt.js';
import { loadService } from '../services.js';
import { KEYRING_PRINCIPALS } from './keyring.js';

type GatewayContext = Pick<ServiceContext, 'database' | 'env' | 'credentials' | 'logger'>;

/** What the CLI uses of the gateway's administrator module (resolved at run time: the CLI does not link every service). */
interface AdministratorModule {
  createAdministrator(
    context: GatewayContext,
    admin: { username: string; password: string; email?: string; createdBy: string },
  ): Promise<void>;
  readPasswordFile(path: string): Promise<string>;
  checkAdministratorPassword(env: Record<string, string | undefined>, password: string): void;
}

export interface AdminCreateOptions {
  username: string;
  email?: string;
  passwordFile?: string;
  dataDir: string;
  env: Record<string, string | undefined>;
  /** Asks for the password when no file is given; absent when stdin is not a terminal. */
  ask?: (question: string) => Promise<string>;
}

/** Exit codes a script can tell apart: the user exists (nothing changed), a refused password, no way to ask for one. */
export const ADMIN_EXIT = {
  USER_ALREADY_EXISTS: 3,
  PASSWORD_POLICY_VIOLATION: 4,
  ADMIN_PASSWORD_REQUIRED: 5,
  ADMIN_PASSWORDS_DIFFER: 6,
} as const;

async function administratorModule(): Promise<AdministratorModule> {
  return (await import(import.meta.resolve('@tributary/gateway/administrator'))) as AdministratorModule;
}

async function passwordFor(options: AdminCreateOptions, module: AdministratorModule): Promise<string> {
  const file = options.passwordFile ?? options.env.TRIBUTARY_ADMIN_PASSWORD_FILE;
  if (file) return module.readPasswordFile(file);
  if (!options.ask)
    throw new CliError(
      'ADMIN_PASSWORD_REQUIRED',
      'No password: pass --password-file <file> or set TRIBUTARY_ADMIN_PASSWORD_FILE (stdin is not a terminal to ask on)',
      ADMIN_EXIT.ADMIN_PASSWORD_REQUIRED,
    );
  const first = await options.ask(`Password for ${options.username}: `);
  const second = await options.ask('Again: ');
  if (first !== second)
    throw new CliError('ADMIN_PASSWORDS_DIFFER', 'The two passwords differ; nothing was changed', ADMIN_EXIT.ADMIN_PASSWORDS_DIFFER);
  return first;
}

/**
 * The gateway's master key may be derived from its service secret, so the CLI must hold the
 * same keyring the gateway reads: TRIBUTARY_KEYRING_FILE, else the data directory's (as `up`).
 */
async function gatewaySecret(dataDir: string, env: Record<string, string | undefined>): Promise<string> {
  const keyring = env.TRIBUTARY_KEYRING_FILE
    ? await readKeyringFile(env.TRIBUTARY_KEYRING_FILE)
    : await loadOrCreateKeyring(resolve(dataDir, 'keyring.json'), KEYRING_PRINCIPALS);
  return credentialsFor(keyring, 'gateway').secretAccessKey;
}

/** `tributary admin create`: the gateway's database (as `migrate gateway` finds it), migrated, then one administrator. */
export async function adminCreateCommand(options: AdminCreateOptions, logger: Logger): Promise<void> {
  const definition = await loadService('gateway');
  if (!definition) throw new Error('The gateway is not built in this checkout');
  const module = await administratorModule();
  const password = await passwordFor(options, module);
  const dataDir = resolve(options.dataDir);
  const env = { ...options.env };
  if (env.DATABASE_URL && !env.GATEWAY_DATABASE_URL) env.GATEWAY_DATABASE_URL = env.DATABASE_URL;
  await refusedAsCliError(() => module.checkAdministratorPassword(env, password));
  const secret = await gatewaySecret(dataDir, env);
  const { database } = await openServiceDatabase('gateway', dataDir, env, logger, pgliteTemplateOnce());
  try {
    await migrateToLatest(database, definition.migrations, { logger, service: 'gateway' });
    await createIn(module, { database, env, logger, credentials: { accessKeyId: '', secretAccessKey: secret } }, options, password);
  } finally {
    await database.close();
  }
}

async function createIn(
  module: AdministratorModule,
  context: GatewayContext & { database: Database },
  options: AdminCreateOptions,
  password: string,
) {
  await refusedAsCliError(() =>
    module.createAdministrator(context, {
      username: options.username,
      password,
      ...(options.email ? { email: options.email } : {}),
      createdBy: 'tributary admin create',
    }),
  );
}

/** The gateway's refusals an operator can act on, as the command's codes and exit codes. */
async function refusedAsCliError(work: () => Promise<void> | void): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (isAppError(error) && (error.code === 'USER_ALREADY_EXISTS' || error.code === 'PASSWORD_POLICY_VIOLATION')) {
      const hint = error.code === 'USER_ALREADY_EXISTS' ? '; nothing was changed' : '';
      throw new CliError(error.code, `${error.message}${hint}`, ADMIN_EXIT[error.code]);
    }
    throw error;
  }
}

export function registerAdminCommand(program: Command): void {
  program
    .command('admin')
    .description("the gateway's administrators")
    .command('create')
    .description(
      'create a gateway administrator (password from --password-file, TRIBUTARY_ADMIN_PASSWORD_FILE or a hidden prompt; never from the command line)',
    )
    .requiredOption('--username <name>', 'the user name to log in with')
    .option('--email <address>', 'e-mail address (default <username>@tributary.invalid)')
    .option('--password-file <file>', 'a file holding the password (its final line break is ignored)')
    .action(
      refusalsToExitCodes(async (options: { username: string; email?: string; passwordFile?: string }) => {
        const global = program.opts<{ dataDir: string; logLevel: string }>();
        const logger = createLogger({ name: 'tributary', level: global.logLevel });
        await adminCreateCommand(
          {
            ...options,
            dataDir: global.dataDir,
            env: process.env,
            ...(process.stdin.isTTY ? { ask: promptHidden } : {}),
          },
          logger,
        );
        process.stdout.write(`Administrator ${options.username} created\n`);
      }),
    );
}
