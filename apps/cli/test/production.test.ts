import { createServer, type Server } from 'node:net';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, testKeyring } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, finished, REPO_ROOT, runBuilt, startBuilt, untilOk } from './support/built.js';

/*
 * The production path end to end: `npm run build`'s output run with plain node, one service per
 * process, and the start-up checks that stop a start before it changes anything.
 */
const BIN = join(REPO_ROOT, 'apps/cli/bin/tributary.mjs');
let dir: string;
let keyringFile: string;

beforeAll(async () => {
  await buildOnce();
  dir = await mkdtemp(join(tmpdir(), 'tributary-production-'));
  keyringFile = join(dir, 'keyring.json');
  await writeFile(keyringFile, JSON.stringify(testKeyring()), { mode: 0o600 });
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Holds a port the way another program would, so the service under test finds it taken. */
async function occupy(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return { port: address.port, server };
}

describe('the tributary command', () => {
  it('runs the build with plain node from its bin, from any directory', async () => {
    expect((await stat(BIN)).mode & 0o111).not.toBe(0);
    const run = promisify(execFile);
    const { stdout } = await run(BIN, ['--help'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(stdout).toMatch(/^Usage: tributary /);
    for (const command of ['up', 'serve', 'migrate', 'keys', 'mask']) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'apps/cli/package.json'), 'utf8')) as { version: string };
    expect((await run(BIN, ['--version'], { env: { PATH: process.env.PATH ?? '' } })).stdout.trim()).toBe(manifest.version);
  });

  it('exits 1 on an unknown command', async () => {
    const result = await runBuilt(['no-such-command'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown command 'no-such-command'/);
  });

  it('asks for a build when there is none', async () => {
    // The bin beside no dist/: the same file, copied where nothing was built.
    const copy = join(dir, 'unbuilt', 'bin', 'tributary.mjs');
    await mkdir(join(dir, 'unbuilt', 'bin'), { recursive: true });
    await copyFile(BIN, copy);
    const result = await finished(spawn(process.execPath, [copy, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('tributary: the CLI is not built: run npm run build\n');
  });
});

describe('tributary serve', () => {
  it('runs orders as its own process on PGlite until it is ready, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = startBuilt(['serve', 'orders'], {
      DATABASE_URL: `pglite://${join(dir, 'orders-db')}`,
      TRIBUTARY_KEYRING_FILE: keyringFile,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    const done = finished(child);
    expect(await untilOk(`http://127.0.0.1:${port}/health/ready`, child)).toMatchObject({ status: 'ok' });
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });

  it('refuses a taken port before it opens (or migrates) its database', async () => {
    const { port, server } = await occupy();
    try {
      const database = join(dir, 'clash-db');
      const result = await runBuilt(['serve', 'orders'], {
        DATABASE_URL: `pglite://${database}`,
        TRIBUTARY_KEYRING_FILE: keyringFile,
        HOST: '127.0.0.1',
        PORT: String(port),
      });
      expect(result.code).toBe(71);
      expect(result.stderr).toBe(`orders cannot listen on 127.0.0.1:${port} (PORT): address in use\n`);
      await expect(stat(database)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      server.close();
    }
  });

  it('retries an unreachable database, then names the variable and the host in one line', async () => {
    const closed = await freePort();
    const result = await runBuilt(['serve', 'orders'], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/orders`,
      DATABASE_WAIT_SECONDS: '2',
      TRIBUTARY_KEYRING_FILE: keyringFile,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
    });
    expect(result.code).toBe(69);
    expect(result.stderr).toBe(`orders database at 127.0.0.1:${closed} (DATABASE_URL) did not answer within 2 s\n`);
    const waits = result.stdout
      .split('\n')
      .filter((line) => line.includes('did not answer; retrying'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (const wait of waits) {
      expect(wait).toMatchObject({ level: 40, variable: 'DATABASE_URL', database: `127.0.0.1:${closed}` });
      expect(JSON.stringify(wait)).not.toMatch(/"stack"|\n\s+at /);
    }
  });
});

describe('tributary up', () => {
  it('refuses a taken service port before it writes any data', async () => {
    const { port, server } = await occupy();
    const dataDir = join(dir, 'up-clash');
    try {
      const ports = {
        GATEWAY_PORT: await freePort(),
        PROCESSING_PORT: await freePort(),
        ERP_PORT: await freePort(),
        SYNC_PORT: await freePort(),
      };
      const result = await runBuilt(['--data-dir', dataDir, 'up', '--no-seed'], {
        ...Object.fromEntries(Object.entries(ports).map(([name, value]) => [name, String(value)])),
        ORDERS_PORT: String(port),
        TRIBUTARY_STATUS_PORT: String(await freePort()),
        CONSOLE_DIR: '',
      });
      expect(result.code).toBe(71);
      expect(result.stderr).toBe(`tributary: orders cannot listen on 127.0.0.1:${port} (ORDERS_PORT): address in use\n`);
      expect(await readdir(dataDir).catch(() => [])).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe('tributary migrate', () => {
  it('waits for the server of DATABASE_URL before <SERVICE>_DATABASE_URL, without a stack trace', async () => {
    const [first, second] = [await freePort(), await freePort()];
    const result = await runBuilt(['--data-dir', join(dir, 'migrate'), 'migrate', 'orders'], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${first}/orders`,
      ORDERS_DATABASE_URL: `postgres://postgres@127.0.0.1:${second}/orders`,
      DATABASE_WAIT_SECONDS: '0',
    });
    expect(result.code).toBe(69);
    expect(result.stderr).toBe(`tributary: orders database at 127.0.0.1:${first} (DATABASE_URL) did not answer within 0 s\n`);

    const own = await runBuilt(['--data-dir', join(dir, 'migrate'), 'migrate', 'orders'], {
      ORDERS_DATABASE_URL: `postgres://postgres@127.0.0.1:${second}/orders`,
      DATABASE_WAIT_SECONDS: '0',
    });
    expect(own.code).toBe(69);
    expect(own.stderr).toBe(`tributary: orders database at 127.0.0.1:${second} (ORDERS_DATABASE_URL) did not answer within 0 s\n`);
  });
});
