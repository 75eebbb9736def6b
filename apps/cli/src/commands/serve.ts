import { runServiceProcess } from '@tributary/platform/service';
import { loadService, SERVICE_NAMES } from '../services.js';

/**
 * `tributary serve <service>`: what `services/<name>/src/main.ts` does, from the built CLI, so a
 * production image needs one entry point for every service.
 */
export async function serveCommand(name: string, env: Record<string, string | undefined>): Promise<void> {
  if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
    throw new Error(`Unknown service "${name}" (one of: ${SERVICE_NAMES.join(', ')})`);
  }
  const definition = await loadService(name);
  if (!definition) throw new Error(`Service "${name}" is not built in this checkout yet`);
  await runServiceProcess(definition, env);
}
