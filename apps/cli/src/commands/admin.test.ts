import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { silentLogger } from '@tributary/platform/core';
import { freePort, testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { loadService } from '../services.js';
import { ADMIN_EXIT, adminCreateCommand } from './admin.js';
import { up } from './up.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const logger = silentLogger();
// The gateway's policy, at a cost a test can afford.
const GATEWAY_ENV = { ARGON2_MEMORY_KIB: '1024', HEALTH_CHECKS: 'false', CONSOLE_DIR: '' };

async function refusal(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

/** The gateway as `tributary up` starts it on that database, asked to log the user in. */
async function logsIn(dataDir: string, env: Record<string, string>, username: string, password: string): Promise<number> {
  const platform = await up({
    dataDir,
    host: '127.0.0.1',
    seed: false,
    env: { ...GATEWAY_ENV, ...env, GATEWAY_PORT: String(await freePort()) },
    logLevel: 'silent',
    definitions: [(await loadService('gateway'))!],
  });
  try {
    const response = await fetch(`${platform.services[0]!.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return response.status;
  } finally {
    await platform.stop();
  }
}

const targets: { label: string; database: () => Promise<TestDatabase | undefined> }[] = [
  { label: 'embedded', database: async () => undefined },
  ...testDatabases({ dialects: ['postgres'] }).map((target) => ({ label: target.label, database: () => target.create() })),
];

for (const target of targets) {
  describe(`${target.label}: tributary admin create`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step();
    });

    it('creates an administrator who logs in; a second run, a weak password and no password are refused with their codes', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'tributary-admin-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const handle = await target.database();
      if (handle) cleanup.push(() => handle.destroy());
      const env: Record<string, string> = { ...GATEWAY_ENV, ...(handle ? { GATEWAY_DATABASE_URL: handle.url } : {}) };
      const file = join(dataDir, 'password');
      await writeFile(file, 'blend-master-2026\n', { mode: 0o600 });

      await adminCreateCommand({ username: 'alice', passwordFile: file, dataDir, env }, logger);
      expect(await logsIn(dataDir, env, 'alice', 'blend-master-2026')).toBe(200);

      const exists = await refusal(adminCreateCommand({ username: 'alice', passwordFile: file, dataDir, env }, logger));
      expect({ code: exists.code, exit: exists.exitCode }).toEqual({ code: 'USER_ALREADY_EXISTS', exit: ADMIN_EXIT.USER_ALREADY_EXISTS });

      await writeFile(file, 'short\n');
      const weak = await refusal(adminCreateCommand({ username: 'bob', passwordFile: file, dataDir, env }, logger));
      expect({ code: weak.code, exit: weak.exitCode }).toEqual({
        code: 'PASSWORD_POLICY_VIOLATION',
        exit: ADMIN_EXIT.PASSWORD_POLICY_VIOLATION,
      });

      const none = await refusal(adminCreateCommand({ username: 'bob', dataDir, env }, logger));
      expect(none.code).toBe('ADMIN_PASSWORD_REQUIRED');

      // The terminal path: asked twice; two different answers change nothing, the same answer twice creates.
      const answers = ['tea-taster-one', 'tea-taster-two'];
      const differ = await refusal(adminCreateCommand({ username: 'bob', dataDir, env, ask: async () => answers.shift()! }, logger));
      expect(differ.code).toBe('ADMIN_PASSWORDS_DIFFER');
      await adminCreateCommand({ username: 'bob', dataDir, env, ask: async () => 'tea-taster-one' }, logger);
      await writeFile(file, 'blend-master-2026\n');
      const again = await refusal(adminCreateCommand({ username: 'bob', passwordFile: file, dataDir, env }, logger));
      expect(again.code).toBe('USER_ALREADY_EXISTS');
    }, 240_000);
  });
}

describe('tributary admin create as a command', () => {
  it('without a terminal and without a file exits 5 and says how to give the password', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tributary-admin-'));
    try {
      const env = { ...process.env, TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_ADMIN_PASSWORD_FILE: '' };
      const failure = await promisify(execFile)(
        process.execPath,
        ['apps/cli/bin/tributary.mjs', 'admin', 'create', '--username', 'carol'],
        {
          cwd: root,
          env,
        },
      ).then(
        () => undefined,
        (error: unknown) => error as { code?: number; stderr?: string },
      );
      expect(failure?.code).toBe(ADMIN_EXIT.ADMIN_PASSWORD_REQUIRED);
      expect(failure?.stderr).toContain('--password-file');
      expect(failure?.stderr).toContain('ADMIN_PASSWORD_REQUIRED');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
