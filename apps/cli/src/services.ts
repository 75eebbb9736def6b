import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '@tributary/platform/service';

/** Start order: backends first, the sync service next, the gateway last (it fronts the rest). */
export const SERVICE_NAMES = ['orders', 'processing', 'erp', 'sync', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Loads the services that exist in this checkout. A service folder without `src/service.ts`
 * is not built yet and is skipped, so `up` always starts whatever is there.
 */
export async function loadServices(only?: readonly string[]): Promise<ServiceDefinition[]> {
  const loaded: ServiceDefinition[] = [];
  for (const name of SERVICE_NAMES) {
    if (only && !only.includes(name)) continue;
    const definition = await loadService(name);
    if (definition) loaded.push(definition);
  }
  return loaded;
}

export async function loadService(name: string): Promise<ServiceDefinition | undefined> {
  const specifier = `@tributary/${name}/service`;
  let resolved: string;
  try {
    resolved = import.meta.resolve(specifier);
    await access(fileURLToPath(resolved));
  } catch {
    return undefined;
  }
  const module = (await import(resolved)) as { service?: ServiceDefinition };
  if (!module.service) throw new Error(`${specifier} does not export "service"`);
  return module.service;
}
