import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFor, parseKeyring, readKeyringFile } from '@tributary/platform/service';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { KEYRING_PRINCIPALS, keyringInit, keyringPath, keyringRotate } from './keyring.js';

describe('tributary keyring', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('init writes one key per service, 0600, readable by the services; refuses to overwrite without --force', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-keyring-'));
    const file = join(dir, 'nested', 'keyring.json');
    await keyringInit(file, { force: false });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const keyring = await readKeyringFile(file);
    for (const principal of KEYRING_PRINCIPALS)
      expect(credentialsFor(keyring, principal).secretAccessKey.length).toBeGreaterThanOrEqual(16);

    const before = await readFile(file, 'utf8');
    const refused = await keyringInit(file, { force: false }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CliError);
    expect(refused).toMatchObject({ code: 'KEYRING_EXISTS', exitCode: 3 });
    expect(await readFile(file, 'utf8')).toBe(before);

    await keyringInit(file, { force: true });
    expect(await readFile(file, 'utf8')).not.toBe(before);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('rotate keeps every old key and makes a new one sign for each principal', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-keyring-'));
    const file = join(dir, 'keyring.json');
    await keyringInit(file, { force: false });
    const before = await readKeyringFile(file);
    const { added } = await keyringRotate(file);
    const after = parseKeyring(await readFile(file, 'utf8'), file);
    expect(added).toHaveLength(KEYRING_PRINCIPALS.length);
    for (const [id, key] of Object.entries(before.keys)) expect(after.keys[id]).toEqual(key);
    for (const principal of KEYRING_PRINCIPALS) expect(added).toContain(credentialsFor(after, principal).accessKeyId);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('rotate of a missing file says to init it; the path is --file, else TRIBUTARY_KEYRING_FILE, else the data directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-keyring-'));
    await expect(keyringRotate(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'KEYRING_NOT_FOUND' });
    expect(keyringPath('a.json', dir, { TRIBUTARY_KEYRING_FILE: '/b.json' })).toMatch(/a\.json$/);
    expect(keyringPath(undefined, dir, { TRIBUTARY_KEYRING_FILE: '/b.json' })).toBe('/b.json');
    expect(keyringPath(undefined, dir, {})).toBe(join(dir, 'keyring.json'));
  });
});
