import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tests/runner/sequencer.js';

const ALL = [
  'packages/*/src/**/*.test.ts',
  'services/*/src/**/*.test.ts',
  'services/*/test/**/*.test.ts',
  'apps/*/src/**/*.test.ts',
  'apps/*/test/**/*.test.ts',
  'tests/*/**/*.test.ts',
];

/**
 * Files that share their worker process with the files before them (isolate: false): the
 * kernel's and the services' own unit suites and the static checks. A fresh process per file
 * loads the whole kernel, its drivers and PGlite again, which cost these files more than their
 * tests did. Each of them closes what it opens and leaves no settings behind; a file that
 * starts processes, browsers or whole platforms, or changes the environment, gets its own.
 */
const SHARED_WORKER = [
  'packages/*/src/**/*.test.ts',
  'services/*/src/**/*.test.ts',
  'tests/structure/**/*.test.ts',
  'tests/contracts/**/*.test.ts',
  'tests/deploy/**/*.test.ts',
];

// Workspace packages export their built JavaScript by default and their TypeScript under the
// `source` condition (docs/adr/0025-build-with-esbuild.md): tests run the source, so no build is
// needed first. Vitest also hands these conditions to its forks (import.meta.resolve sees them).
// Vitest's own default drops `module`, which would pick ESM builds some packages cannot load.
export default defineConfig({
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions.filter((condition) => condition !== 'module')] } },
  test: {
    // A directory per run, for the builds that test files share (tests/runner/once.ts).
    globalSetup: ['tests/runner/global-setup.ts'],
    // Longest files first, so both workers stay busy to the end (tests/runner/sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more forks only thrash. Database-heavy files serialise inside PGlite anyway.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED_WORKER, isolate: false } },
      { extends: true, test: { name: 'own', include: ALL, exclude: [...configDefaults.exclude, ...SHARED_WORKER] } },
    ],
  },
});
