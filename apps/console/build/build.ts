import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');
const STAMP = join(CONSOLE_DIST, '.built');
// The build script is an input too: a change to how the console is built must rebuild it.
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'build/build.ts'];

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

/**
 * Builds the console with Vite (production mode) into dist/. Vite takes NODE_ENV from the process
 * when it is set, whatever the mode, and vitest sets it to "test": a build made by a test run
 * bundled React's development code (about 142 kB gzipped instead of 80), which `npm start` and
 * the bench then served as fresh. So the build runs under NODE_ENV=production.
 */
export async function buildConsole(): Promise<string> {
  const { build } = await import('vite');
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: CONSOLE_ROOT, configFile: join(CONSOLE_ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
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
