#!/usr/bin/env node
// `npm run build`: the JavaScript that production runs with plain node, then the console.
// Plain .mjs so it runs before anything is built and without tsx.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Every workspace the CLI loads, by source folder and output folder. The console's own dist/ is
 * Vite's; its Node-side build helpers go to lib/ so the two never overwrite each other.
 */
const UNITS = [
  ...['packages/platform', 'packages/contracts', 'packages/devices'].map((dir) => ({ src: `${dir}/src`, out: `${dir}/dist` })),
  ...['orders', 'processing', 'erp', 'gateway', 'sync'].map((name) => ({ src: `services/${name}/src`, out: `services/${name}/dist` })),
  { src: 'apps/cli/src', out: 'apps/cli/dist' },
  { src: 'apps/console/build', out: 'apps/console/lib' },
];

async function sources(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

async function compile({ src, out }) {
  const from = join(ROOT, src);
  const to = join(ROOT, out);
  await rm(to, { recursive: true, force: true });
  const entryPoints = await sources(from);
  // One file in, one file out: the sources already import each other by `.js` name and
  // each other package by package name, so no bundling or path rewriting is needed.
  await build({
    entryPoints,
    outdir: to,
    outbase: from,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  return entryPoints.length;
}

const started = Date.now();
let files = 0;
for (const unit of UNITS) {
  if (!existsSync(join(ROOT, unit.src))) continue;
  files += await compile(unit);
}
process.stdout.write(`compiled ${files} files in ${Date.now() - started} ms\n`);

if (process.argv.includes('--no-console')) process.exit(0);
const consoleStarted = Date.now();
const { buildConsole } = await import(join(ROOT, 'apps/console/lib/build.js'));
const dir = await buildConsole();
process.stdout.write(`console built into ${relative(ROOT, dir)} in ${Date.now() - consoleStarted} ms\n`);
