import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { AppError } from '../core/errors.js';
import { readIdentity, type Identity } from './identity.js';
import { carriesSignature, signatureMissing } from './parse.js';
import { verifySigV4HeadNow, verifySigV4Now, type IncomingRequest, type VerifyOptions } from './verify.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by registerSigV4Auth on every request that passed verification. */
    identity?: Identity;
    /**
     * The body bytes exactly as received, set by the HTTP app's content-type parsers. Declared
     * here too (same optional `Buffer | undefined` type, so the two declarations merge) because
     * the payload hash cannot be checked against a re-serialised body.
     */
    rawBody?: Buffer | undefined;
  }
}

export interface SigV4AuthOptions extends VerifyOptions {
  /** Paths (raw, without the query) that need no signature. Replaces the defaults when given. */
  publicPaths?: (path: string) => boolean;
  /**
   * Requests that present another credential, which their route checks itself (the metrics
   * scrape's bearer token): SigV4 is not required of them. The route must refuse them when
   * that credential is wrong.
   */
  otherCredential?: (request: { url: string; headers: IncomingHttpHeaders }) => boolean;
}

/**
 * Probes and the API docs: callers that hold no credentials by design. `/metrics` is not
 * among them: it tells an attacker what runs and how busy it is (ADR 0007).
 */
const PUBLIC_EXACT = new Set(['/health/live', '/health/ready', '/openapi.json', '/docs']);

/** Probes and the API docs: callers that hold no credentials by design. */
export function isDefaultPublicPath(path: string): boolean {
  return PUBLIC_EXACT.has(path) || path.startsWith('/docs/');
}

/**
 * Requires a valid SigV4 signature on every non-public request and sets `request.identity`.
 * Refusals are thrown AppErrors so the app's one error handler shapes the response.
 *
 * Register on the root instance (or through fastify-plugin): hooks added inside an
 * encapsulated plugin guard only that plugin's routes.
 */
export function registerSigV4Auth<Logger extends FastifyBaseLogger = FastifyBaseLogger>(
  // Generic in the logger only so an app built with its own pino instance is accepted too.
  app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>,
  options: SigV4AuthOptions,
): void {
  const isPublicPath = options.publicPaths ?? isDefaultPublicPath;
  const otherCredential = options.otherCredential ?? (() => false);
  const isPublic = (path: string, request: RequestView) => isPublicPath(path) || otherCredential(request);
  if (!app.hasRequestDecorator('identity')) app.decorateRequest('identity', undefined);

  // Anonymous requests are turned away before their body is read or parsed, so they cost
  // nothing and learn nothing (no 415 or 400 before the 401). So are forged or stale ones
  // that carry a body: all but the body hash is checked now (the error handler then closes the
  // connection rather than read the rest of a large upload). A request without a body has
  // nothing left to wait for: it is verified in full here, once. Callback hooks, settled at
  // once when the credential lookup answers at once: a promise per hook per request cost more
  // than the claim's parsing.
  app.addHook('onRequest', (request, _reply, done) => {
    const { path, rawQuery } = splitUrl(request.url);
    if (isPublic(path, request)) return done();
    // Node's header names are already lower-case: a full header map is built once, by the verifier.
    if (!carriesSignature({ has: (name) => request.headers[name] !== undefined }, rawQuery)) return done(signatureMissing());
    const head = { method: request.method, path, rawQuery, headers: request.headers };
    if (hasBody(request)) return settle(() => verifySigV4HeadNow(head, options), done);
    settle(
      () => verifySigV4Now(head, options),
      done,
      (caller) => (request.identity = readIdentity(request.headers, caller.principal)),
    );
  });

  // preValidation is the first hook that runs after the content-type parser has buffered the
  // body (the signature covers its hash), and it still runs before schema validation, so an
  // unauthenticated caller gets a 401 rather than a validation error describing the schema.
  app.addHook('preValidation', (request, _reply, done) => {
    // Set only by a verification of this request: a bodyless one was verified in full on arrival.
    if (request.identity !== undefined || isPublic(splitUrl(request.url).path, request)) return done();
    settle(
      () => verifySigV4Now(toIncoming(request), options),
      done,
      (caller) => (request.identity = readIdentity(request.headers, caller.principal)),
    );
  });
}

/** Runs a check that may answer now or later, and hands its outcome to a callback hook's `done`. */
function settle<T>(check: () => T | Promise<T>, done: (error?: Error) => void, then: (value: T) => void = () => undefined): void {
  const fail = (error: unknown) => done(error instanceof Error ? error : new Error(String(error)));
  const finish = (value: T) => {
    try {
      then(value);
    } catch (error) {
      return fail(error);
    }
    done();
  };
  let outcome: T | Promise<T>;
  try {
    outcome = check();
  } catch (error) {
    return fail(error);
  }
  if (outcome instanceof Promise) outcome.then(finish, fail);
  else finish(outcome);
}

/** The parts of a Fastify request we read, whatever the app's logger and type provider. */
interface RequestView {
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
  rawBody?: Buffer | undefined;
}

function toIncoming(request: RequestView): IncomingRequest {
  const { path, rawQuery } = splitUrl(request.url);
  if (request.rawBody === undefined && hasBody(request)) {
    // Verifying against an empty body would refuse every such request with a baffling 401;
    // this is a server wiring fault, so say so.
    throw new AppError(
      'internal',
      'AUTH_RAW_BODY_UNAVAILABLE',
      `no raw body captured for content-type ${request.headers['content-type'] ?? '(none)'}; its parser must set request.rawBody`,
    );
  }
  return {
    method: request.method,
    path,
    rawQuery,
    headers: request.headers,
    ...(request.rawBody === undefined ? {} : { body: request.rawBody }),
  };
}

function hasBody(request: RequestView): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Fastify's request.url is the raw request target, still percent-encoded, which is what was signed. */
function splitUrl(url: string): { path: string; rawQuery: string } {
  const mark = url.indexOf('?');
  return mark === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, mark), rawQuery: url.slice(mark + 1) };
}
