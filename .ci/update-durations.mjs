#!/usr/bin/env node
// Rewrites tests/runner/durations.json, the order the test files start in on a fresh checkout
// (tests/runner/sequencer.ts), from the per-file durations vitest kept of the last run here.
// Run it after a whole `npm test` on the CI machine, quiet; see .ci/README.md.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules/.vite/vitest');
const TABLE = join(ROOT, 'tests/runner/durations.json');

const seconds = {};
// One cache per project (`shared`, `own`), each keyed `<project>:<file>`.
for (const project of readdirSync(CACHE)) {
  let results;
  try {
    ({ results } = JSON.parse(readFileSync(join(CACHE, project, 'results.json'), 'utf8')));
  } catch {
    continue;
  }
  for (const [key, { duration }] of results) {
    if (duration > 0) seconds[key.slice(key.indexOf(':') + 1)] = Math.max(1, Math.round(duration / 1000));
  }
}
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
writeFileSync(TABLE, `${JSON.stringify(sorted, null, 2)}\n`);
process.stdout.write(`${Object.keys(sorted).length} files written to tests/runner/durations.json\n`);
