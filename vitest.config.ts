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
  'services/*/test/**/*.test.ts',
  'tests/structure/**/*.test.ts',
  'tests/contracts/**/*.test.ts',
  'tests/deploy/**/*.test.ts',
];

/**
 * The services' end-to-end files build apps on real databases and real HTTP and close them, as
 * their unit suites do, so they share workers too; these two start service processes of their
 * own (a crash and restart, the administrator process), so each keeps a fresh process.
 */
const SERVICE_PROCESSES = ['services/sync/test/crash.test.ts', 'services/gateway/test/administrator.process.test.ts'];

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
      {
        extends: true,
        test: { name: 'shared', include: SHARED_WORKER, exclude: [...configDefaults.exclude, ...SERVICE_PROCESSES], isolate: false },
      },
      { extends: true, test: { name: 'own', include: ALL, exclude: [...configDefaults.exclude, ...SHARED_WORKER] } },
      // Inside a `shared` folder but started in a process of their own, like `own`'s files.
      { extends: true, test: { name: 'processes', include: SERVICE_PROCESSES } },
    ],
  },
});
