import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler } from 'fastify';
import type { LazyValidators } from './lazy-validators.js';

type Validate = ReturnType<FastifySchemaCompiler<unknown>>;

/**
 * Two validators. Query strings, path params and headers arrive as text, so their values are
 * coerced to the declared types ("5" → 5). Bodies are JSON and already typed: coercing them
 * would quietly accept `"true"` for a boolean, and stripping undeclared properties would
 * quietly drop a misspelt field. A body that breaks its schema is refused with a 400 instead.
 *
 * Ajv's coercion accepts any text JavaScript's `+text` turns into a number: `1e309` and
 * `Infinity` become Infinity, `0x1f` and ` 12 ` pass, and a 20-digit integer silently loses
 * digits. Text coerced to a number is therefore checked once more (ADR 0006): it must be a
 * plain decimal, finite, and an integer literal must be a safe integer.
 */
export function validatorCompiler(lazy: LazyValidators): FastifySchemaCompiler<unknown> {
  const build = AjvCompiler();
  const lenient = build({}, { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true }, plugins: [] });
  const strict = build({}, { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true }, plugins: [] });
  return (route) => lazy.wrap(() => (route.httpPart === 'body' ? strict(route) : withExactNumbers(lenient(route) as Validate)) as Validate);
}

/** Digits, an optional fraction and exponent, an optional sign; nothing else parses "fully". */
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const INTEGER_LITERAL = /^[-+]?\d+$/;

interface NumberIssue {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

function withExactNumbers(validate: Validate): Validate {
  const checked = ((data: unknown) => {
    const before = snapshot(data);
    const result = validate(data);
    checked.errors = validate.errors;
    if (result !== true || before === undefined) return result;
    const issue = inexactNumber(before, data as Record<string, unknown>);
    if (!issue) return true;
    checked.errors = [issue];
    return false;
  }) as Validate & { errors?: unknown };
  return checked;
}

/** The text values as received, before Ajv coerces them in place. */
function snapshot(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) copy[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  return copy;
}

function inexactNumber(before: Record<string, unknown>, after: Record<string, unknown>): NumberIssue | undefined {
  for (const [key, coerced] of Object.entries(after)) {
    const raw = before[key];
    const rawList = Array.isArray(raw) ? raw : [raw];
    const coercedList = Array.isArray(coerced) ? coerced : [coerced];
    for (let i = 0; i < coercedList.length; i++) {
      const value = coercedList[i];
      const text = rawList[i];
      if (typeof value !== 'number' || typeof text !== 'string') continue;
      const at = `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}${Array.isArray(coerced) && Array.isArray(raw) ? `/${i}` : ''}`;
      if (!DECIMAL.test(text) || !Number.isFinite(value)) {
        return {
          instancePath: at,
          schemaPath: '#/exactNumber',
          keyword: 'exactNumber',
          message: 'must be a finite decimal number',
          params: {},
        };
      }
      if (INTEGER_LITERAL.test(text) && !Number.isSafeInteger(value)) {
        return {
          instancePath: at,
          schemaPath: '#/exactNumber',
          keyword: 'exactNumber',
          message: `must be an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`,
          params: {},
        };
      }
    }
  }
  return undefined;
}
