import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The command an install links as `tributary`, read from the manifest so a renamed file is caught. */
async function declaredBin(): Promise<string> {
  const manifest = JSON.parse(await readFile(resolve(packageDir, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const bin = manifest.bin?.tributary;
  if (!bin) throw new Error('package.json declares no tributary bin');
  return resolve(packageDir, bin);
}

describe('the tributary command', () => {
  it('is an executable file that prints the command list', async () => {
    const bin = await declaredBin();
    // Run as the shell would (its shebang, its mode bits) and from another directory than the repo root.
    expect((await stat(bin)).mode & 0o111).not.toBe(0);
    const { stdout } = await run(bin, ['--help'], { cwd: packageDir, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
    expect(stdout).toMatch(/^Usage: tributary /);
    for (const command of ['up', 'migrate', 'keys', 'mask']) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('exits non-zero on an unknown command', async () => {
    const bin = await declaredBin();
    const failure = await run(bin, ['no-such-command'], { cwd: packageDir, env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 }).then(
      () => undefined,
      (error: unknown) => error as { code?: number; stderr?: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/unknown command 'no-such-command'/);
  });
});
