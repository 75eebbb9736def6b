import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages export their built JavaScript by default and their TypeScript under the
// `source` condition (docs/adr/0025-build-with-esbuild.md): tests run the source, so no build is
// needed first. Vitest also hands these conditions to its forks (import.meta.resolve sees them).
// Vitest's own default drops `module`, which would pick ESM builds some packages cannot load.
export default defineConfig({
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions.filter((condition) => condition !== 'module')] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'tests/*/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more forks only thrash. Database-heavy files serialise inside PGlite anyway.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
