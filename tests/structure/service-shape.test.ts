import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const SERVICES_DIR = new URL('../../services/', import.meta.url);
const SHAPE = ['main.ts', 'service.ts', 'app.ts', 'config.ts', 'deps.ts', 'errors.ts', 'access.ts'];

async function services(): Promise<string[]> {
  return (await readdir(SERVICES_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function sources(dir: URL): Promise<URL[]> {
  const found: URL[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...(await sources(new URL(`${entry.name}/`, dir))));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) found.push(new URL(entry.name, dir));
  }
  return found;
}

describe('one service shape', () => {
  it('every service has the same top-level files, and main.ts only runs the definition', async () => {
    const names = await services();
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      const top = new Set(await readdir(new URL(`${name}/src/`, SERVICES_DIR)));
      expect(
        SHAPE.filter((file) => !top.has(file)),
        name,
      ).toEqual([]);
      const main = (await readFile(new URL(`${name}/src/main.ts`, SERVICES_DIR), 'utf8')).trim().split('\n');
      expect(main.length, `${name} main.ts`).toBeLessThanOrEqual(4);
      expect(main.join('\n'), `${name} main.ts`).toMatch(/await runServiceProcess\(service\);$/);
    }
  });

  it('no service casts its database: the definition names the schema once', async () => {
    const casts: string[] = [];
    for (const name of await services()) {
      for (const file of await sources(new URL(`${name}/src/`, SERVICES_DIR))) {
        const text = await readFile(file, 'utf8');
        if (/database\.db as\b/.test(text)) casts.push(file.pathname.slice(SERVICES_DIR.pathname.length));
      }
    }
    expect(casts).toEqual([]);
  });
});
