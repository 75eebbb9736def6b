import { describe, expect, it } from 'vitest';
import type { ConfigurationsRepository } from '../configurations/configurations.repository.js';
import { RouteCache } from './route-cache.js';
import type { Route } from './routes.js';

describe('RouteCache', () => {
  it('never serves a load that started before a change once the change invalidated it', async () => {
    let version = 1;
    const pending: (() => void)[] = [];
    const repository = {
      routes: async () => {
        const seen = version;
        await new Promise<void>((resolve) => pending.push(resolve));
        return [{ configId: `v${seen}` }] as unknown as Route[];
      },
    } as unknown as ConfigurationsRepository;
    const cache = new RouteCache(repository, 60_000);

    const before = cache.all(); // a worker's load, reading version 1
    version = 2; // a configuration is created…
    cache.invalidate(); // …and the cache told so
    const after = cache.all();
    while (pending.length < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    pending.forEach((resolve) => resolve());

    expect((await before).map((r) => r.configId)).toEqual(['v1']);
    expect((await after).map((r) => r.configId)).toEqual(['v2']);
    expect((await cache.all()).map((r) => r.configId)).toEqual(['v2']);
  });
});
