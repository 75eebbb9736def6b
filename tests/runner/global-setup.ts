import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory of this run only, where test files of every worker agree on work done once (once.ts). */
    testRunDir: string;
  }
}

/**
 * One directory per `vitest run`, removed when the run ends. Every project of the run calls
 * this; they all get the same directory, so work is shared across projects too.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = (process.env.TRIBUTARY_TEST_RUN_DIR ??= await mkdtemp(join(tmpdir(), 'tributary-test-run-')));
  project.provide('testRunDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
