import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');
const STAMP = join(CONSOLE_DIST, '.built');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/** True when no build exists or a source file changed after the last one. */
export async function consoleBuildIsStale(): Promise<boolean> {
  if (!existsSync(STAMP) || !existsSync(join(CONSOLE_DIST, 'index.html'))) return true;
  const built = (await stat(STAMP)).mtimeMs;
  const inputs = await Promise.all(
    INPUTS.map((input) => join(CONSOLE_ROOT, input))
      .filter((path) => existsSync(path))
      .map(newestMtime),
  );
  return Math.max(...inputs) > built;
}

/** Builds the console with Vite (production mode) into dist/. */
export async function buildConsole(): Promise<string> {
  const { build } = await import('vite');
  await build({ root: CONSOLE_ROOT, configFile: join(CONSOLE_ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  await writeFile(STAMP, new Date().toISOString());
  return CONSOLE_DIST;
}

/** The console's build directory, building it first when it is missing or older than its sources. */
export async function ensureConsoleBuilt(log: (message: string) => void = () => {}): Promise<string> {
  if (await consoleBuildIsStale()) {
    log('building the console');
    await buildConsole();
  }
  return CONSOLE_DIST;
}
