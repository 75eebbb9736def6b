import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from '@tributary/platform/db';
import { pgliteDirectoryUrl, testDatabases, testKeyring } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The gateway as its own process, as a container runs it; resolves with its output once it exits. */
function runGateway(env: Record<string, string>): {
  output: () => string;
  listening: Promise<void>;
  exited: Promise<number | null>;
  stop: () => void;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/gateway/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let listened!: () => void;
  const listening = new Promise<void>((done) => (listened = done));
  const take = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.includes('gateway listening')) listened();
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  void exited.then(() => listened());
  return { output: () => text, listening, exited, stop: () => child.kill('SIGTERM') };
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: a gateway process started with TRIBUTARY_ADMIN_PASSWORD_FILE`, () => {
    it('migrates, creates the administrator, serves, and stops on SIGTERM with 0 and no error line', { timeout: 180_000 }, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'gateway-process-'));
      const handle = target.dialect === 'pglite' ? undefined : await target.create();
      try {
        await writeFile(join(dir, 'keyring.json'), JSON.stringify(testKeyring()), { mode: 0o600 });
        await writeFile(join(dir, 'admin-password'), 'warehouse-admin-1\n', { mode: 0o600 });
        const run = runGateway({
          DATABASE_URL: handle?.url ?? (await pgliteDirectoryUrl(join(dir, 'gateway'))),
          TRIBUTARY_KEYRING_FILE: join(dir, 'keyring.json'),
          TRIBUTARY_ADMIN_PASSWORD_FILE: join(dir, 'admin-password'),
          TRIBUTARY_ADMIN_USERNAME: 'plant-admin',
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_FORMAT: 'json',
          ARGON2_MEMORY_KIB: '1024',
          HEALTH_CHECKS: 'false',
        });
        await run.listening;
        expect(run.output()).toContain('administrator created from TRIBUTARY_ADMIN_PASSWORD_FILE');
        run.stop();
        expect(await run.exited).toBe(0);
        expect(run.output()).not.toMatch(/"level":50/);
        if (handle) {
          const admins = await sql<{ username: string }>`select username from api_users where role = 'administrator'`.execute(
            handle.database.db,
          );
          expect(admins.rows).toEqual([{ username: 'plant-admin' }]);
        }
      } finally {
        await handle?.destroy();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
