import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds per test file from a whole run on CI's two-core machine (`.ci/README.md` says how to
 * refresh it). Only the order of the files depends on it, never what they check.
 */
const DURATIONS = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8')) as Record<string, number>;

/** A file the table does not know yet (a new one): as long as a typical file, so it neither leads nor trails. */
const UNKNOWN_SECONDS = 5;

/**
 * Longest files first, so the two workers finish together. Vitest's own order needs the
 * durations of an earlier run on this machine; a fresh checkout (CI) has none, and it then
 * sorts by file size, which started the browser suites (short files, minutes each) last and
 * left one worker idle for minutes at the end. Durations of this checkout's own earlier runs
 * win when they exist; the committed table stands in for them otherwise.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const weigh = (file: TestSpecification) => {
      const path = relative(root, file.moduleId);
      const key = `${file.project.name}:${path}`;
      const cached = this.ctx.cache.getFileTestResults(key)?.duration ?? 0;
      const seconds = cached > 0 ? cached / 1000 : (DURATIONS[path] ?? UNKNOWN_SECONDS);
      // Between files of the same weight, vitest's own guess: the larger file first.
      return { file, seconds, size: this.ctx.cache.getFileStats(key)?.size ?? 0 };
    };
    return files
      .map(weigh)
      .sort((a, b) => b.seconds - a.seconds || b.size - a.size)
      .map(({ file }) => file);
  }
}
