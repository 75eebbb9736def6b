#!/usr/bin/env node
// The installed `tributary` command runs the built JavaScript with plain node: production never
// compiles TypeScript at run time. `npm run tributary` runs the sources instead.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('tributary: the CLI is not built: run npm run build\n');
  process.exit(1);
}
await import(main.href);
