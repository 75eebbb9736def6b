import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../services.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

interface Run {
  output: () => string;
  /** Resolves once the output matches. */
  waitFor: (pattern: RegExp) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  pid: number;
  /** For a failed test: the process must not outlive it. */
  kill: () => void;
}

/** `command` as an operator starts it, every line of stdout and stderr kept. */
function start(command: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const take = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters.filter((w) => w.pattern.test(text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return {
    output: () => text,
    pid: child.pid!,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    exited,
    waitFor: (pattern) =>
      new Promise<void>((done, fail) => {
        if (pattern.test(text)) return done();
        waiters.push({ pattern, resolve: done });
        void exited.then(() => fail(new Error(`exited before ${pattern}:\n${text}`)));
      }),
  };
}

/** Ports of their own, so a run never meets another platform on this machine. */
async function platformEnv(dataDir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    TRIBUTARY_DATA_DIR: dataDir,
    TRIBUTARY_STATUS_PORT: String(await freePort()),
    CONSOLE_DIR: '',
    LOG_FORMAT: 'json',
    // Debug lines tell when sync has polled every outbox once: the platform has then idled.
    LOG_LEVEL: 'debug',
    ARGON2_MEMORY_KIB: '1024',
  };
  for (const name of SERVICE_NAMES) env[`${name.toUpperCase()}_PORT`] = String(await freePort());
  return env;
}

const lines = (text: string) => text.split('\n').filter((line) => line.startsWith('{'));
const atLeast = (text: string, level: number) => lines(text).filter((line) => (JSON.parse(line) as { level: number }).level >= level);

/** Started, idle until sync has read each source's outbox, stopped by `signal`. */
async function upThenStop(run: Run, signal: NodeJS.Signals, stopPid = run.pid) {
  await run.waitFor(/Tributary is up/);
  for (const source of ['orders', 'processing', 'erp'])
    await run.waitFor(new RegExp(`"service":"${source}".*"route":"/internal/outbox","status":200`));
  process.kill(stopPid, signal);
  return run.exited;
}

describe('tributary up stops cleanly', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-up-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };

  it('embedded: `npm start` stopped by SIGTERM to npm ends the platform with 0, no warning, no error', async () => {
    const env = await platformEnv(await tempDir());
    const run = start('npm', ['start'], env);
    cleanup.push(async () => run.kill());
    const exit = await upThenStop(run, 'SIGTERM');
    expect(exit.code).toBe(0);
    expect(run.output()).toContain('Demo logins');
    expect(atLeast(run.output(), 40)).toEqual([]);
    // The platform itself is gone, not only npm: its status port is free again.
    await expect(fetch(`http://127.0.0.1:${env.TRIBUTARY_STATUS_PORT}/health/ready`)).rejects.toThrow();
  }, 300_000); // a ceiling for a first embedded start on a busy machine, not a measurement

  const postgres = testDatabases({ dialects: ['postgres'] })[0];
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it.skipIf(!postgres)(
      `PostgreSQL: ${signal} ends the platform with 0 and no error line; no demo users, the administrator from the file`,
      async () => {
        const dir = await tempDir();
        const env = await platformEnv(dir);
        const databases: TestDatabase[] = [];
        for (const name of SERVICE_NAMES) {
          const handle = await postgres!.create();
          databases.push(handle);
          cleanup.push(() => handle.destroy());
          env[`${name.toUpperCase()}_DATABASE_URL`] = handle.url;
        }
        await writeFile(join(dir, 'admin-password'), 'plant-admin-password\n', { mode: 0o600 });
        env.TRIBUTARY_ADMIN_PASSWORD_FILE = join(dir, 'admin-password');
        const run = start(process.execPath, ['apps/cli/bin/tributary.mjs', 'up'], env);
        const exit = await upThenStop(run, signal);
        expect(exit).toEqual({ code: 0, signal: null });
        expect(atLeast(run.output(), 40)).toEqual([]);
        expect(run.output()).not.toContain('Demo logins');
        expect(run.output()).toContain('Administrator admin created from TRIBUTARY_ADMIN_PASSWORD_FILE');
        expect(run.output()).toContain(`curl -s http://127.0.0.1:${env.GATEWAY_PORT}/api/v1/auth/login`);
        const gateway = databases[SERVICE_NAMES.indexOf('gateway')]!;
        const users = await gateway.database.db.selectFrom('api_users').select(['username', 'role']).execute();
        expect(users).toEqual([{ username: 'admin', role: 'administrator' }]);
      },
    );
  }
});
