import { type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads configuration from an environment-like record, validated by a TypeBox schema whose
 * property names are the variable names. Values are converted (numbers, booleans) and
 * defaults applied; any problem names the variable, so a bad deploy fails fast and clearly.
 */
export function loadConfig<T extends TObject>(schema: T, env: Record<string, string | undefined> = process.env): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(schema, raw);
  const converted = Value.Convert(schema, withDefaults);
  const errors = [...Value.Errors(schema, converted)];
  if (errors.length > 0) {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const error of errors) {
      const name = error.path.replace(/^\//, '') || '(root)';
      if (seen.has(name)) continue;
      seen.add(name);
      const given = env[name];
      problems.push(
        given === undefined || given === ''
          ? `${name} is required (${describe(schema, name)})`
          : `${name}=${JSON.stringify(redactIfSecret(name, given))} is invalid: ${error.message}`,
      );
    }
    throw new ConfigError(problems);
  }
  return converted as Static<T>;
}

function describe(schema: TObject, name: string): string {
  const property = schema.properties[name] as { description?: string } | undefined;
  return property?.description ?? 'see docs/operations.md';
}

function redactIfSecret(name: string, value: string): string {
  return /secret|password|key|token/i.test(name) ? '[redacted]' : value;
}

/** A comma-separated setting (principals, deliverers, …) as a set of names; blanks and spaces around commas do not count. */
export function nameSet(list: string): ReadonlySet<string> {
  return new Set(
    list
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

/** Runs a process entry's config step; on a ConfigError prints it and exits non-zero. */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
