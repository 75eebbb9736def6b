import { invalid, type AppError } from '../core/errors.js';

/*
 * Text no service can store or compare safely, refused once at the edge (ADR 0006): a NUL
 * (PostgreSQL refuses it in text and jsonb, and C-string code truncates at it) and an unpaired
 * UTF-16 surrogate (not a character at all; drivers refuse or mangle it). Both arrive through
 * percent-encoding or JSON escapes, never as valid UTF-8 bytes.
 */

export const INPUT_INVALID_CHARACTER = 'INPUT_INVALID_CHARACTER';
export const INPUT_TOO_DEEP = 'INPUT_TOO_DEEP';
export const INPUT_INVALID_NUMBER = 'INPUT_INVALID_NUMBER';
/** Deeper JSON than any route's schema describes; well below what would strain a recursive reader. */
export const MAX_JSON_DEPTH = 64;

const NUL_OR_LONE_SURROGATE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `%00`, the overlong `%C0%80`, and UTF-8-encoded surrogates (`%ED%A0%80`–`%ED%BF%BF`). */
const ENCODED_INVALID = /%00|%c0%80|%ed%[ab][0-9a-f]/i;

export function hasInvalidCharacter(text: string): boolean {
  return NUL_OR_LONE_SURROGATE.test(text);
}

export function invalidCharacter(part: string, where?: string): AppError {
  return invalid(INPUT_INVALID_CHARACTER, `The request ${part} contains a NUL or an unpaired surrogate, which is never valid input`, {
    details: { part, ...(where === undefined ? {} : { path: where }) },
  });
}

/** The raw request target, before any decoding: covers the path, the query and 404s alike. */
export function checkRequestTarget(url: string): AppError | undefined {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query = mark === -1 ? '' : url.slice(mark + 1);
  if (hasInvalidCharacter(path) || ENCODED_INVALID.test(path)) return invalidCharacter('path');
  if (hasInvalidCharacter(query) || ENCODED_INVALID.test(query)) return invalidCharacter('query');
  return undefined;
}

export function checkHeaders(headers: Record<string, string | string[] | undefined>): AppError | undefined {
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    if (values.some(hasInvalidCharacter)) return invalidCharacter('header', name);
  }
  return undefined;
}

/**
 * The nesting depth of JSON text, counted without parsing and without recursion, stopping as
 * soon as it passes `limit`: a 5,000-level document costs one linear scan, not a stack.
 */
export function jsonDepthExceeds(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * Finds the first string (value or key) holding a NUL or a lone surrogate in a parsed body,
 * and returns its JSON pointer. Iterative, so no input depth can exhaust the stack.
 */
export function findInvalidString(root: unknown): string | undefined {
  const found = findInvalidValue(root);
  return found?.kind === 'character' ? found.path : undefined;
}

/**
 * The first value no service can store as sent: a string or key with a NUL or a lone
 * surrogate, or a number JSON.parse could not represent (`1e309` becomes Infinity). A large
 * but finite number (1e300) is left to the route's schema and rules: after parsing it cannot be
 * told apart from an over-long integer literal, and refusing it would hide their better answer.
 */
function findInvalidValue(root: unknown): { kind: 'character' | 'number'; path: string } | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (hasInvalidCharacter(value)) return { kind: 'character', path: path || '/' };
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { kind: 'number', path: path || '/' };
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}/${index}` }));
    } else if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
      for (const [key, item] of Object.entries(value)) {
        const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        if (hasInvalidCharacter(key)) return { kind: 'character', path: at };
        stack.push({ value: item, path: at });
      }
    }
  }
  return undefined;
}

export function checkBodyValue(value: unknown): AppError | undefined {
  const found = findInvalidValue(value);
  if (found === undefined) return undefined;
  // The pointer may name the offending key itself; echo it without the offending characters.
  const at = found.path.replace(/[\0\uD800-\uDFFF]/g, '\uFFFD');
  if (found.kind === 'character') return invalidCharacter('body', at);
  return invalid(INPUT_INVALID_NUMBER, 'The request body holds a number too large to represent', {
    details: { part: 'body', path: at },
  });
}

export function tooDeep(limit: number = MAX_JSON_DEPTH): AppError {
  return invalid(INPUT_TOO_DEEP, `Request body nests deeper than ${limit} levels`, { details: { limit } });
}
