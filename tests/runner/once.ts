import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

const inProcess = new Map<string, Promise<void>>();

/**
 * Runs `work` once per test run, whichever worker asks first; the others wait for it and fail
 * with its error. The builds the suites run from (the CLI's dist, the console bundle) are made
 * this way: each file that needs one used to make its own, twice per run for the CLI, and two
 * workers building at once deleted the output the other one's processes were starting from.
 * Outside a run that provides a run directory (tests/runner/global-setup.ts), once per process.
 */
export function oncePerRun(name: string, work: () => Promise<void>): Promise<void> {
  let running = inProcess.get(name);
  if (!running) {
    running = shared(name, work);
    inProcess.set(name, running);
  }
  return running;
}

async function shared(name: string, work: () => Promise<void>): Promise<void> {
  const dir = inject('testRunDir');
  if (!dir) return work();
  const claim = join(dir, `${name}.claim`);
  const outcome = join(dir, `${name}.outcome`);
  // mkdir is atomic: exactly one worker creates the claim and does the work.
  const claimed = await mkdir(claim).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return false;
      throw error;
    },
  );
  if (claimed) {
    try {
      await work();
      await writeFile(outcome, 'ok');
    } catch (error) {
      await writeFile(outcome, `${name} failed in another test file: ${String(error)}`);
      throw error;
    }
    return;
  }
  // The claiming worker's own test timeout bounds its work; this wait ends with it.
  for (;;) {
    const text = await readFile(outcome, 'utf8').catch(() => undefined);
    if (text === 'ok') return;
    if (text !== undefined) throw new Error(text);
    await sleep(250);
  }
}
