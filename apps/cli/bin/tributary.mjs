#!/usr/bin/env node
// The installed `tributary` command runs the built JavaScript with plain node: production never
// compiles TypeScript at run time. `npm run tributary` runs the sources instead.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('tributary: the CLI is not built: run npm run build\n');
  process.exit(1);
}
// The version check alone first: its module imports nothing, so it loads on any Node.
await import(new URL('../dist/node-check.js', import.meta.url).href);
await import(main.href);
