/**
 * Reads a service's OpenAPI document into the operations the fuzzer drives: method, path
 * template, parameters and JSON body schema. Only what the generator needs is modelled.
 */
export interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
  minProperties?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  service: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As documented, e.g. `/customers/{name}`; a catch-all is `{*}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON body schema, when the operation declares one. */
  body: JsonSchema | undefined;
  /** Every method documented on the same path (so a "wrong method" is really wrong). */
  methodsOnPath: string[];
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function operationsOf(service: string, document: unknown): Operation[] {
  const doc = document as OpenApiDocument;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const methodsOnPath = METHODS.filter((method) => item[method]).map((method) => method.toUpperCase());
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters: Parameter[] = (operation.parameters ?? [])
        .filter(
          (parameter): parameter is { name: string; in: 'path' | 'query'; required?: boolean; schema?: JsonSchema } =>
            parameter.in === 'path' || parameter.in === 'query',
        )
        .map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: parameter.in === 'path' || parameter.required === true,
          schema: parameter.schema ?? {},
        }));
      // A catch-all is documented as `{*}` without a parameter entry.
      if (path.includes('{*}') && !parameters.some((parameter) => parameter.name === '*'))
        parameters.push({ name: '*', in: 'path', required: true, schema: { type: 'string' } });
      operations.push({
        service,
        method: method.toUpperCase() as Operation['method'],
        path,
        parameters,
        body: operation.requestBody?.content?.['application/json']?.schema,
        methodsOnPath,
      });
    }
  }
  return operations;
}

/** The JSON types a schema admits ('integer' counts as its own type); empty = anything. */
export function typesOf(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  const add = (s: JsonSchema) => {
    if (typeof s.type === 'string') types.add(s.type);
    else if (Array.isArray(s.type)) s.type.forEach((t) => types.add(t));
    else if (s.enum) s.enum.forEach((value) => types.add(jsonType(value)));
    else if (s.const !== undefined) types.add(jsonType(s.const));
    for (const option of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
      const inner = typesOf(option);
      if (inner.size === 0) types.add('*');
      inner.forEach((t) => types.add(t));
    }
  };
  add(schema);
  if (types.has('*')) return new Set();
  return types;
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** True when a value of JSON type `type` can satisfy a schema admitting `allowed`. */
export function admits(allowed: Set<string>, type: string): boolean {
  if (allowed.size === 0) return true;
  if (allowed.has(type)) return true;
  return type === 'integer' && allowed.has('number');
}

/** The first non-null branch of a union, or the schema itself. */
export function mainBranch(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options) return schema;
  const branch = options.find((option) => !(option.type === 'null')) ?? options[0]!;
  return mainBranch(branch);
}

const STRING_CANDIDATES = [
  'fz',
  'FZ1',
  '00000000-0000-4000-8000-000000000000',
  '2026-01-01',
  '2026-01-01T00:00:00.000Z',
  '1',
  '1.5',
  'fz@example.com',
  'https://example.com/fz',
  'A1',
  'fz-1',
];

/**
 * A plausible value for a schema: the fuzzer breaks one part of a request and keeps the rest
 * plausible, so the broken part travels as far into the service as it can.
 */
export function plausible(schema: JsonSchema, depth = 0): unknown {
  const s = mainBranch(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (s.format === 'date') return '2026-01-01';
      if (s.format === 'email') return 'fz@example.com';
      if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      let value = 'fz';
      if (s.pattern) {
        const pattern = safeRegExp(s.pattern);
        value = STRING_CANDIDATES.find((candidate) => pattern?.test(candidate)) ?? value;
      }
      if (s.minLength && value.length < s.minLength) value = value.padEnd(s.minLength, 'z');
      if (s.maxLength !== undefined && value.length > s.maxLength) value = value.slice(0, s.maxLength);
      return value;
    }
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return depth > 4 ? [] : Array.from({ length: s.minItems ?? 0 }, () => plausible(s.items ?? {}, depth + 1));
    case 'object':
    default: {
      if (!s.properties && type !== 'object') return 'fz';
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const name of s.required ?? []) out[name] = plausible(s.properties?.[name] ?? {}, depth + 1);
      return out;
    }
  }
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}
