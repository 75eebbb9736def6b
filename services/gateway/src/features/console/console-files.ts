import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

export interface ConsoleFile {
  body: Buffer;
  type: string;
  etag: string;
  /** Vite names built assets by content hash: they never change under the same name. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : Promise.resolve(entry.isFile() ? [join(dir, entry.name)] : []),
    ),
  );
  return nested.flat();
}

/**
 * Every file of the built console, read once at start-up and keyed by its URL path. Only
 * these exact paths are ever answered, so no request can name a file outside the build.
 */
export async function loadConsoleFiles(dir: string): Promise<Map<string, ConsoleFile>> {
  const files = new Map<string, ConsoleFile>();
  for (const path of await walk(dir)) {
    const type = TYPES[extname(path)];
    if (!type) continue;
    const body = await readFile(path);
    const url = `/${relative(dir, path).split(sep).join('/')}`;
    files.set(url, {
      body,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: url.startsWith('/assets/'),
    });
  }
  return files;
}
