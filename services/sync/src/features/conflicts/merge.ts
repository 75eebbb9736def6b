import { isDeepStrictEqual } from 'node:util';
import { dec } from '@tributary/platform/core';
import type { FieldRule } from '../configurations/configurations.schemas.js';

export interface FieldConflict {
  field: string;
  sourceValue: unknown;
  targetValue: unknown;
  resolvedValue: unknown;
  resolution: 'source' | 'target' | 'merge' | 'manual';
  reason: string;
}

export interface MergeResult {
  hasConflicts: boolean;
  /** False when some field's rule is `manual`: a person must decide. */
  resolved: boolean;
  conflicts: FieldConflict[];
  resolvedData: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Field-level merge (PowerSync's "last write wins per field", with the reference's per-field
 * rules): fields only one side has are kept, equal fields pass, and each field both sides
 * changed differently is settled by its rule; a field without a rule goes to the source.
 */
export function mergeFields(source: unknown, target: unknown, rules: Record<string, FieldRule> = {}): MergeResult {
  const src = isObject(source) ? source : {};
  const tgt = isObject(target) ? target : {};
  const resolvedData: Obj = {};
  const conflicts: FieldConflict[] = [];
  const keys = new Set([...Object.keys(tgt), ...Object.keys(src)]);
  for (const key of keys) {
    const inSource = Object.hasOwn(src, key);
    const inTarget = Object.hasOwn(tgt, key);
    if (!inSource) {
      resolvedData[key] = tgt[key];
      continue;
    }
    if (!inTarget || isDeepStrictEqual(src[key], tgt[key])) {
      resolvedData[key] = src[key];
      continue;
    }
    const rule = rules[key];
    if (!rule && isObject(src[key]) && isObject(tgt[key])) {
      // Nested objects merge field by field with the rules under their path.
      const nested = mergeFields(src[key], tgt[key], nestedRules(rules, key));
      resolvedData[key] = nested.resolvedData;
      for (const conflict of nested.conflicts) conflicts.push({ ...conflict, field: `${key}.${conflict.field}` });
      continue;
    }
    const decision = decide(rule ?? { rule: 'source' }, src[key], tgt[key]);
    resolvedData[key] = decision.value;
    conflicts.push({
      field: key,
      sourceValue: src[key],
      targetValue: tgt[key],
      resolvedValue: decision.value,
      resolution: decision.resolution,
      reason: decision.reason,
    });
  }
  return { hasConflicts: conflicts.length > 0, resolved: conflicts.every((c) => c.resolution !== 'manual'), conflicts, resolvedData };
}

function nestedRules(rules: Record<string, FieldRule>, prefix: string): Record<string, FieldRule> {
  const nested: Record<string, FieldRule> = {};
  for (const [path, rule] of Object.entries(rules)) if (path.startsWith(`${prefix}.`)) nested[path.slice(prefix.length + 1)] = rule;
  return nested;
}

interface Decision {
  value: unknown;
  resolution: FieldConflict['resolution'];
  reason: string;
}

function decide(rule: FieldRule, source: unknown, target: unknown): Decision {
  switch (rule.rule) {
    case 'source':
      return { value: source, resolution: 'source', reason: 'source is authoritative for this field' };
    case 'latest':
      // The reference's "latest timestamp": the event being delivered is the latest write.
      return { value: source, resolution: 'source', reason: 'latest write (the incoming event) wins' };
    case 'target':
      return { value: target, resolution: 'target', reason: 'target keeps its local value' };
    case 'higher':
    case 'lower': {
      const cmp = compareNumbers(source, target);
      if (cmp === undefined) return { value: source, resolution: 'source', reason: 'not comparable as numbers; source wins' };
      const sourceWins = rule.rule === 'higher' ? cmp >= 0 : cmp <= 0;
      return { value: sourceWins ? source : target, resolution: sourceWins ? 'source' : 'target', reason: `${rule.rule} value wins` };
    }
    case 'sum': {
      try {
        const total = dec(numeric(source)).plus(dec(numeric(target)));
        const value = typeof source === 'number' && typeof target === 'number' ? total.toNumber() : total.toString();
        return { value, resolution: 'merge', reason: 'values added' };
      } catch {
        return { value: source, resolution: 'source', reason: 'not numbers; source wins' };
      }
    }
    case 'earlier':
    case 'later': {
      const a = Date.parse(String(source));
      const b = Date.parse(String(target));
      if (Number.isNaN(a) || Number.isNaN(b))
        return { value: source, resolution: 'source', reason: 'not comparable as dates; source wins' };
      const sourceWins = rule.rule === 'earlier' ? a <= b : a >= b;
      return { value: sourceWins ? source : target, resolution: sourceWins ? 'source' : 'target', reason: `${rule.rule} date wins` };
    }
    case 'stage_priority': {
      const stages = (rule.stages ?? []).map((stage) => stage.toLowerCase());
      const a = stages.indexOf(String(source).toLowerCase());
      const b = stages.indexOf(String(target).toLowerCase());
      if (a < 0 || b < 0) return { value: source, resolution: 'source', reason: 'unknown stage; source wins' };
      return a >= b
        ? { value: source, resolution: 'source', reason: 'further stage wins' }
        : { value: target, resolution: 'target', reason: 'further stage wins' };
    }
    case 'union_by_key':
      return {
        value: unionByKey(source, target, rule.key ?? 'id', rule.earlierOf),
        resolution: 'merge',
        reason: `lists merged by ${rule.key ?? 'id'}`,
      };
    case 'manual':
      return { value: source, resolution: 'manual', reason: 'this field needs a person' };
  }
  return { value: source, resolution: 'source', reason: 'unknown rule; source wins' };
}

function numeric(value: unknown): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new Error('not a number');
}

function compareNumbers(a: unknown, b: unknown): number | undefined {
  try {
    return dec(numeric(a)).comparedTo(dec(numeric(b)));
  } catch {
    return undefined;
  }
}

/** Batch lists: union by id; when both sides have an item the one with the earlier date is kept. */
function unionByKey(source: unknown, target: unknown, key: string, earlierOf: string | undefined): unknown {
  if (!Array.isArray(source) || !Array.isArray(target)) return source;
  const merged = new Map<string, unknown>();
  for (const item of target) merged.set(String(isObject(item) ? item[key] : item), item);
  for (const item of source) {
    const id = String(isObject(item) ? item[key] : item);
    const existing = merged.get(id);
    if (existing !== undefined && earlierOf && isObject(existing) && isObject(item)) {
      const a = Date.parse(String(item[earlierOf]));
      const b = Date.parse(String(existing[earlierOf]));
      merged.set(id, !Number.isNaN(b) && (Number.isNaN(a) || b < a) ? existing : item);
    } else {
      merged.set(id, item);
    }
  }
  return [...merged.values()];
}
