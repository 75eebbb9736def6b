import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FROM_SOURCE } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Runs a service process entry with a given environment and returns how it ended. */
async function startWithEnv(env: Record<string, string>) {
  const script = `
    import { runServiceProcess } from '@tributary/platform/service';
    await runServiceProcess({ name: 'demo', defaultPort: 0, migrations: [], buildApp: async () => { throw new Error('not reached'); } });
  `;
  try {
    await run(process.execPath, [...FROM_SOURCE, '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 30_000,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    return { code: failure.code ?? -1, stderr: failure.stderr ?? '' };
  }
}

describe('service process configuration', () => {
  it('exits non-zero naming a missing required variable', async () => {
    const result = await startWithEnv({ TRIBUTARY_KEYRING_FILE: 'keys.json' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/DATABASE_URL is required/);
  });

  it('exits non-zero naming a malformed variable', async () => {
    const result = await startWithEnv({ DATABASE_URL: 'oracle://db', TRIBUTARY_KEYRING_FILE: 'keys.json', PORT: 'eighty' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/DATABASE_URL="oracle:\/\/db" is invalid/);
    expect(result.stderr).toMatch(/PORT="eighty" is invalid/);
  });
});
