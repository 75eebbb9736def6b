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

  it('shares an in-flight read only with requests that arrived before it started', async () => {
    let reads = 0;
    const pending: Array<() => void> = [];
    const release = () => pending.forEach((resolve) => resolve());
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
    const late = cache.sync(performance.now());
    expect(reads).toBe(2);
    release();
    await Promise.all([first, joined, late]);
  });
});
