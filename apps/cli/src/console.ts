import { execFile } from 'node:child_process';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Logger } from '@tributary/platform/core';
import { CONSOLE_DIST, consoleBuildIsStale } from '@tributary/console/build';

const run = promisify(execFile);

/**
 * Where the gateway finds the console: an operator's CONSOLE_DIR as given, else this
 * checkout's build, rebuilt first when a source changed, so `npm start` needs no extra step.
 * A failed build leaves the APIs running without the console rather than not starting.
 */
export async function consoleDir(env: Record<string, string | undefined>, logger: Logger): Promise<string | undefined> {
  if (env.CONSOLE_DIR !== undefined) return env.CONSOLE_DIR || undefined;
  try {
    if (await consoleBuildIsStale()) {
      logger.info('building the console');
      await buildInChild();
    }
    return CONSOLE_DIST;
  } catch (error) {
    logger.warn({ err: error }, 'the console could not be built; the APIs start without it');
    return undefined;
  }
}

/**
 * Memory a process has grown into stays with it (the allocator keeps what Vite and Rollup
 * freed), and `up` would carry its build's peak while it serves; a child returns it on exit. The child runs the
 * console's build script beside the module this process loaded (source under `npm start`,
 * compiled in a build) with this process's own flags, so it loads the same way.
 */
async function buildInChild(): Promise<void> {
  const module = fileURLToPath(import.meta.resolve('@tributary/console/build'));
  const script = join(dirname(module), `cli${extname(module)}`);
  await run(process.execPath, [...process.execArgv, script], { maxBuffer: 16 * 1024 * 1024 });
}
