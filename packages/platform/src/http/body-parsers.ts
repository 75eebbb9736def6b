import type { FastifyRequest } from 'fastify';
import { invalid } from '../core/errors.js';
import { checkBodyValue, hasInvalidCharacter, invalidCharacter, jsonDepthExceeds, tooDeep } from './input-text.js';
import { parseMultipart } from './multipart.js';
import type { HttpServerInstance } from './types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The body bytes exactly as received, for every request that had a body. The auth module
     * declares the same property (identical declarations merge).
     */
    rawBody?: Buffer | undefined;
  }
}

type Done = (error: Error | null, body?: unknown) => void;

/** `application/json` and the structured `+json` types (merge-patch, problem...). */
const JSON_SUFFIX = /^application\/[a-z0-9!#$&^_.-]+\+json\s*(;|$)/i;

/**
 * Every parser reads the body as a Buffer and keeps it as `request.rawBody`: a signature
 * covers the bytes on the wire, which a re-serialised body does not reproduce.
 *
 * multipart/form-data is buffered and parsed into `{ fields, files }` (see multipart.ts), so
 * signed uploads verify like any other body. Do not register @fastify/multipart: it reads the
 * socket directly and no raw body would be kept.
 */
export function registerBodyParsers(app: HttpServerInstance): void {
  app.removeAllContentTypeParsers();
  // Fastify's own parser, for its prototype-poisoning guard: `{"__proto__": ...}` is refused, not merged.
  const secureJson = app.getDefaultJsonParser('error', 'error');

  const json = (request: FastifyRequest, body: string | Buffer, done: Done) => {
    const raw = keepRaw(request, body);
    // An empty JSON body is no body: a route without a body schema runs, one with a schema
    // refuses it through validation like any other missing body.
    if (raw.length === 0) return done(null, undefined);
    const text = raw.toString('utf8');
    // Measured before parsing, so nothing downstream (validator, logger, a service walking the
    // body) ever meets a structure deep enough to exhaust its stack.
    if (jsonDepthExceeds(text)) return done(tooDeep());
    secureJson(request, text, (error, parsed) => {
      if (error) return done(invalid('REQUEST_BODY_INVALID_JSON', 'Request body is not valid JSON', { cause: error }));
      // Fastify validates a missing body as null, so a route that takes "no body" admits null in
      // its schema; a body that is literally `null` is then refused here, not taken for none.
      if (parsed === null) return done(invalid('REQUEST_BODY_NULL', 'Request body is null; send no body, or a JSON object'));
      done(checkBodyValue(parsed) ?? null, parsed);
    });
  };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, json);
  app.addContentTypeParser(JSON_SUFFIX, { parseAs: 'buffer' }, json);

  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (request, body, done) => {
    const text = keepRaw(request, body).toString('utf8');
    done(hasInvalidCharacter(text) ? invalidCharacter('body') : null, text);
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
    const form = parseForm(keepRaw(request, body).toString('utf8'));
    done(checkBodyValue(form) ?? null, form);
  });

  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    parseMultipart(request, keepRaw(request, body)).then(
      (parsed) => done(checkBodyValue(parsed) ?? null, parsed),
      (error: Error) => done(error),
    );
  });

  // Binary and unknown types reach the handler as the Buffer itself; a missing content type lands here too.
  const bytes = (request: FastifyRequest, body: string | Buffer, done: Done) => done(null, keepRaw(request, body));
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, bytes);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, bytes);
}

function keepRaw(request: FastifyRequest, body: string | Buffer): Buffer {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  request.rawBody = raw;
  return raw;
}

/** Repeated keys become arrays, as Fastify does for query strings. */
export function parseForm(text: string): Record<string, string | string[]> {
  const values = new Map<string, string | string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = values.get(key);
    values.set(key, existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]);
  }
  // fromEntries defines own properties, so a key like "__proto__" stays a plain key.
  return Object.fromEntries(values);
}
