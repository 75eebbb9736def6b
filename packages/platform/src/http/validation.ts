import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Two validators. Query strings, path params and headers arrive as text, so their values are
 * coerced to the declared types ("5" → 5). Bodies are JSON and already typed: coercing them
 * would quietly accept `"true"` for a boolean, and stripping undeclared properties would
 * quietly drop a misspelt field. A body that breaks its schema is refused with a 400 instead.
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const build = AjvCompiler();
  const lenient = build({}, { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true }, plugins: [] });
  const strict = build({}, { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true }, plugins: [] });
  return (route) => (route.httpPart === 'body' ? strict(route) : lenient(route)) as ReturnType<FastifySchemaCompiler<unknown>>;
}
