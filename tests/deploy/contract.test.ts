/**
 * Every command and environment variable the compose file, the chart and the image use must
 * exist: a command registered in the CLI, a variable read by a config schema or the code, or
 * documented in docs/operations.md. A renamed variable then fails here, not in production.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServiceProcessConfig } from '@tributary/platform/service';
import { ErpConfigSchema } from '../../services/erp/src/config.js';
import { GatewayConfigSchema } from '../../services/gateway/src/config.js';
import { OrdersConfigSchema } from '../../services/orders/src/config.js';
import { ProcessingConfigSchema } from '../../services/processing/src/config.js';
import { SyncSettingsSchema } from '../../services/sync/src/config.js';
import { renderChart } from './chart.js';
import { readCompose, tributaryServices } from './compose.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const SERVICE_NAMES = ['orders', 'processing', 'erp', 'gateway', 'sync'];

function sources(dir: URL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(new URL(`${entry.name}/`, dir));
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [readFileSync(new URL(entry.name, dir), 'utf8')] : [];
  });
}

const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[1]!);

interface Container {
  args?: string[];
  command?: string[];
  env?: Array<{ name: string }>;
}

function chartContainers(): Container[] {
  return renderChart('prod').flatMap((manifest) => {
    const spec = manifest.spec as { template?: { spec?: { containers?: Container[] } } } | undefined;
    return spec?.template?.spec?.containers ?? [];
  });
}

function usedCommands(): Set<string> {
  const used = new Set<string>();
  for (const [, service] of tributaryServices(readCompose())) {
    if (service.command?.[0]) used.add(service.command[0]);
    for (const word of matches(service.entrypoint?.join(' ') ?? '', /main\.js (\w[\w-]*)/g)) used.add(word);
  }
  for (const container of chartContainers()) {
    if (container.args?.[0]) used.add(container.args[0]);
    for (const word of matches(container.command?.join(' ') ?? '', /main\.js (\w[\w-]*)/g)) used.add(word);
  }
  for (const word of matches(read('deploy/entrypoint.sh'), /^\s*set -- (\w+)/gm)) used.add(word);
  return used;
}

function usedVariables(): Set<string> {
  const used = new Set<string>();
  for (const [, service] of tributaryServices(readCompose())) for (const name of Object.keys(service.environment ?? {})) used.add(name);
  for (const container of chartContainers()) for (const variable of container.env ?? []) used.add(variable.name);
  for (const name of matches(read('deploy/entrypoint.sh'), /\$\{(\w+)/g)) used.add(name);
  for (const name of matches(read('deploy/healthcheck.mjs'), /process\.env\.(\w+)/g)) used.add(name);
  for (const name of matches(read('deploy/Dockerfile'), /^\s*(?:ENV\s+)?([A-Z][A-Z0-9_]+)=/gm)) used.add(name);
  return used;
}

function knownVariables(): Set<string> {
  const schemas = [
    ServiceProcessConfig,
    GatewayConfigSchema,
    OrdersConfigSchema,
    ProcessingConfigSchema,
    ErpConfigSchema,
    SyncSettingsSchema,
  ];
  const known = new Set(schemas.flatMap((schema) => Object.keys(schema.properties)));
  for (const dir of ['packages/', 'services/', 'apps/cli/src/']) {
    for (const text of sources(new URL(dir, ROOT))) for (const name of matches(text, /\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) known.add(name);
  }
  const operations = read('docs/operations.md');
  for (const name of matches(operations, /`([A-Z][A-Z0-9_]{2,})`/g)) known.add(name);
  // Per-service names the docs give as patterns.
  if (operations.includes('`<PEER>_URL`')) for (const name of SERVICE_NAMES) known.add(`${name.toUpperCase()}_URL`);
  if (operations.includes('`<SERVICE>_DATABASE_URL`')) for (const name of SERVICE_NAMES) known.add(`${name.toUpperCase()}_DATABASE_URL`);
  return known;
}

describe('what the deployment files ask of the code', () => {
  it('finds the CLI commands and the configuration it checks against', () => {
    const registered = new Set(sources(new URL('apps/cli/src/', ROOT)).flatMap((text) => matches(text, /\.command\('([\w-]+)/g)));
    expect(registered.has('migrate')).toBe(true);
    expect(usedCommands()).toEqual(new Set(['serve', 'migrate', 'keyring']));
    expect(knownVariables().has('GATEWAY_SECRET_KEY')).toBe(true);
  });

  it('every command is registered in the CLI (or is one the runtime work is adding)', () => {
    const registered = new Set(sources(new URL('apps/cli/src/', ROOT)).flatMap((text) => matches(text, /\.command\('([\w-]+)/g)));
    const missing = [...usedCommands()].filter((command) => !registered.has(command));
    expect(missing).toEqual([]);
  });

  it('every environment variable is read by a config schema or the code, or documented', () => {
    const known = knownVariables();
    const unknown = [...usedVariables()].filter((name) => !known.has(name)).sort();
    expect(unknown).toEqual([]);
  });
});
