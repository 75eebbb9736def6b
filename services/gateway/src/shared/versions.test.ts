import { describe, expect, it } from 'vitest';
import { localVersions, VersionedCache, type VersionSource } from './versions.js';

describe('versioned cache', () => {
  it('drops everything when the version moves', async () => {
    const versions = localVersions();
    const cache = new VersionedCache<string>(versions, 'auth');
    const v = await cache.sync();
    cache.set('jti:1', 'ok', v);
    expect(cache.get('jti:1')).toBe('ok');
    await versions.bump('auth');
    await cache.sync();
    expect(cache.get('jti:1')).toBeUndefined();
  });

  it('does not keep an answer looked up under an older version', async () => {
    const versions = localVersions();
    const cache = new VersionedCache<string>(versions, 'auth');
    const before = await cache.sync();
    // A revocation lands and another request syncs while this lookup is still running.
    await versions.bump('auth');
    await cache.sync();
    cache.set('jti:1', 'ok (stale)', before);
    expect(cache.get('jti:1')).toBeUndefined();
  });

  it('shares an in-flight read only with requests that arrived before it started; later ones share the next read', async () => {
    let reads = 0;
    const pending: Array<() => void> = [];
    const releaseOne = () => pending.shift()?.();
    const slow: VersionSource = {
      current: () => {
        reads++;
        const n = String(reads);
        return new Promise((resolve) => pending.push(() => resolve(n)));
      },
      bump: async () => undefined,
    };
    const cache = new VersionedCache<string>(slow, 'auth');
    const early = performance.now();
    const first = cache.sync(early);
    const joined = cache.sync(early);
    expect(reads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2));
    // Arrived after the first read started: neither may use its answer; both wait for one new read.
    const late = cache.sync(performance.now());
    const later = cache.sync(performance.now());
    expect(reads).toBe(1);
    releaseOne();
    expect(await first).toBe('1');
    expect(await joined).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reads).toBe(2);
    releaseOne();
    expect(await late).toBe('2');
    expect(await later).toBe('2');
    // Idle again: the next request reads at once.
    const alone = cache.sync(performance.now());
    expect(reads).toBe(3);
    releaseOne();
    expect(await alone).toBe('3');
  });

  it('a failed read fails its callers only; the queued read behind it still runs', async () => {
    let reads = 0;
    const pending: Array<{ resolve: (v: string) => void; reject: (e: Error) => void }> = [];
    const source: VersionSource = {
      current: () => {
        reads++;
        return new Promise((resolve, reject) => pending.push({ resolve, reject }));
      },
      bump: async () => undefined,
    };
    const cache = new VersionedCache<string>(source, 'auth');
    const first = cache.sync(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 2));
    const late = cache.sync(performance.now());
    pending.shift()!.reject(new Error('database went away'));
    await expect(first).rejects.toThrow('database went away');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reads).toBe(2);
    pending.shift()!.resolve('7');
    expect(await late).toBe('7');
  });
});
