import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FROM_SOURCE } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const run = promisify(execFile);

describe('tributary devices', () => {
  it('starts the bridge with no devices plugged in and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [...FROM_SOURCE, MAIN, 'devices'], {
      env: { PATH: process.env.PATH ?? '', DEVICES_PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines: Record<string, unknown>[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      let pending = '';
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const complete = pending.split('\n');
        pending = complete.pop() ?? '';
        for (const line of complete) {
          const entry = JSON.parse(line) as Record<string, unknown>;
          lines.push(entry);
          if (entry.msg === 'device bridge listening') resolve(String(entry.url));
        }
      });
      void exited.then((code) => reject(new Error(`exited with ${code} before listening`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const status = await fetch(`${url}/devices`);
    expect(await status.json()).toEqual({
      type: 'devices',
      devices: { scale: 'absent', scanner: 'absent', button: 'absent', printer: 'absent' },
      scale: null,
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.some((entry) => entry.msg === 'stopping the device bridge' && entry.service === 'devices')).toBe(true);
  });

  it('refuses a configuration that would expose the devices to the network', async () => {
    const failure = await run(process.execPath, [...FROM_SOURCE, MAIN, 'devices'], {
      env: { PATH: process.env.PATH ?? '', DEVICES_HOST: '0.0.0.0', DEVICES_PORT: '0' },
      timeout: 30_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? '' }),
    );
    expect(failure.code).toBe(78);
    expect(failure.stderr).toContain('DEVICES_ALLOW_REMOTE');
  });
});
