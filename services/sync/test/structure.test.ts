import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));

// Every way this code base writes a table: Kysely's builders and raw SQL in sql`` templates.
const WRITES_SYNC_STATUS = [
  /(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"]sync_status['"]/,
  /\b(insert\s+into|update|delete\s+from|merge\s+into|truncate(\s+table)?)\s+sync_status\b/i,
];

/** The feature folder a file imports from, for `../<feature>/…` imports inside `features/`. */
function featureImports(text: string): string[] {
  return [...text.matchAll(/from\s+'\.\.\/([a-z-]+)\/[^']+'/g)].map((match) => match[1]!);
}

describe('sync source structure', () => {
  it('finds the source it checks', () => {
    expect(files.some((file) => file.path === 'features/queue/claim.ts')).toBe(true);
    // The patterns do see a write: the queue's own files match them.
    const queueWrites = files.filter(
      (file) => file.path.startsWith('features/queue/') && WRITES_SYNC_STATUS.some((re) => re.test(file.text)),
    );
    expect(queueWrites.length).toBeGreaterThanOrEqual(8);
  });

  it('writes sync_status only in features/queue (migrations create it)', () => {
    const offenders = files
      .filter((file) => !file.path.startsWith('features/queue/') && !file.path.startsWith('db/migrations/'))
      .filter((file) => WRITES_SYNC_STATUS.some((re) => re.test(file.text)))
      .map((file) => file.path);
    expect(offenders).toEqual([]);
  });

  it('has no import loops between feature folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const file of files) {
      const match = /^features\/([a-z-]+)\//.exec(file.path);
      if (!match) continue;
      const from = match[1]!;
      const edges = graph.get(from) ?? new Set<string>();
      for (const to of featureImports(file.text)) if (to !== from) edges.add(to);
      graph.set(from, edges);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(graph.size).toBeGreaterThan(5);
    expect(cycles).toEqual([]);
  });
});
