import type { Logger } from '@tributary/platform/core';
import { ensureConsoleBuilt } from '@tributary/console/build';

/**
 * Where the gateway finds the console: an operator's CONSOLE_DIR as given, else this
 * checkout's build, rebuilt first when a source changed, so `npm start` needs no extra step.
 * A failed build leaves the APIs running without the console rather than not starting.
 */
export async function consoleDir(env: Record<string, string | undefined>, logger: Logger): Promise<string | undefined> {
  if (env.CONSOLE_DIR !== undefined) return env.CONSOLE_DIR || undefined;
  try {
    return await ensureConsoleBuilt((message) => logger.info(message));
  } catch (error) {
    logger.warn({ err: error }, 'the console could not be built; the APIs start without it');
    return undefined;
  }
}
