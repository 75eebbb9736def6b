import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { oncePerRun } from '../../../../tests/runner/once.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const BUILT_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

const run = promisify(execFile);

/**
 * Compiles every workspace the CLI loads (the console is left out: these tests never serve it),
 * once per test run for all the files that run the build.
 */
export function buildOnce(): Promise<void> {
  return oncePerRun('cli-build', async () => {
    await run(process.execPath, ['scripts/build.mjs', '--no-console'], { cwd: REPO_ROOT, timeout: 120_000 });
  });
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command with plain node (no tsx, no `source` condition: what production runs) and a
 * clean environment, so nothing of the test process's own settings leaks in.
 */
export async function runBuilt(args: readonly string[], env: Record<string, string>, cwd = REPO_ROOT): Promise<Finished> {
  return finished(startBuilt(args, env, cwd));
}

export function startBuilt(args: readonly string[], env: Record<string, string>, cwd = REPO_ROOT): ChildProcess {
  return spawn(process.execPath, [BUILT_MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  return { code, stdout, stderr };
}

/** Polls a URL until it answers 200; the test's own timeout bounds the wait. */
export async function untilOk(url: string, child: ChildProcess): Promise<unknown> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before ${url} answered`);
    const response = await fetch(url).catch(() => undefined);
    if (response?.status === 200) return response.json();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
