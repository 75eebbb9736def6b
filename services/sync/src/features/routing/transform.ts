import type { RoutingSpec, Transformation, ValidationRules } from '../configurations/configurations.schemas.js';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows `path` (dot-separated keys) through nested objects; `found` is false where a key on the way is missing. */
function walk(source: unknown, path: string): { found: boolean; value: unknown } {
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return { found: false, value: undefined };
    current = current[key];
  }
  return { found: true, value: current };
}

export function getPath(source: unknown, path: string): unknown {
  return walk(source, path).value;
}

export function hasPath(source: unknown, path: string): boolean {
  return walk(source, path).found;
}

export function setPath(target: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let current: Obj = target;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (!isObject(next)) current[key] = {};
    current = current[key] as Obj;
  }
  Object.defineProperty(current, keys[keys.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

export function removePath(target: Obj, path: string): void {
  const keys = path.split('.');
  let current: unknown = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(current)) return;
    current = current[key];
  }
  if (isObject(current)) delete current[keys[keys.length - 1]!];
}

/**
 * Field mappings, then transformations, applied to a copy of the payload. Payloads that are not
 * objects pass through unchanged: there are no fields to map.
 */
export function transformPayload(payload: unknown, spec: Pick<RoutingSpec, 'fieldMappings' | 'mappingMode' | 'transformations'>): unknown {
  if (!isObject(payload)) return payload;
  let result: Obj = structuredClone(payload);
  const mappings = spec.fieldMappings ?? {};
  if (Object.keys(mappings).length > 0) {
    if (spec.mappingMode === 'pick') {
      const picked: Obj = {};
      for (const [from, to] of Object.entries(mappings)) {
        if (hasPath(result, from)) setPath(picked, to, getPath(result, from));
      }
      result = picked;
    } else {
      const values = Object.entries(mappings)
        .filter(([from]) => hasPath(result, from))
        .map(([from, to]) => [from, to, getPath(result, from)] as const);
      for (const [from] of values) removePath(result, from);
      for (const [, to, value] of values) setPath(result, to, value);
    }
  }
  for (const step of spec.transformations ?? []) result = applyStep(result, step);
  return result;
}

function applyStep(target: Obj, step: Transformation): Obj {
  const value = getPath(target, step.field);
  switch (step.op) {
    case 'set':
      setPath(target, step.field, step.value ?? null);
      break;
    case 'default':
      if (value === undefined || value === null) setPath(target, step.field, step.value ?? null);
      break;
    case 'remove':
      removePath(target, step.field);
      break;
    case 'rename':
      if (step.to && hasPath(target, step.field)) {
        removePath(target, step.field);
        setPath(target, step.to, value);
      }
      break;
    case 'copy':
      if (step.to && hasPath(target, step.field)) setPath(target, step.to, structuredClone(value));
      break;
    case 'lowercase':
      if (typeof value === 'string') setPath(target, step.field, value.toLowerCase());
      break;
    case 'uppercase':
      if (typeof value === 'string') setPath(target, step.field, value.toUpperCase());
      break;
    case 'trim':
      if (typeof value === 'string') setPath(target, step.field, value.trim());
      break;
    case 'to_string':
      if (value !== undefined && value !== null && typeof value !== 'object') setPath(target, step.field, String(value));
      break;
  }
  return target;
}

/** Missing required fields (reference `validation_rules.required_fields`), checked on the transformed payload. */
export function missingRequiredFields(payload: unknown, rules: ValidationRules | null): string[] {
  const required = rules?.required_fields ?? [];
  return required.filter((field) => {
    const value = getPath(payload, field);
    return value === undefined || value === null || value === '';
  });
}
