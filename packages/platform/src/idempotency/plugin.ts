import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest, FastifyTypeProvider } from 'fastify';
import type { AnyKysely } from '../db/schema.js';
import type { SomeFastify } from '../http/types.js';
import { AppError, invalid } from '../core/errors.js';
import { IdempotencyStore, type ResponseSealer } from './store.js';

export interface IdempotencyOptions {
  db: AnyKysely;
  /** How long a completed response is replayed (default 24 h). */
  ttlMs?: number;
  /** A pending claim older than this is considered abandoned by a dead request (default 60 s). */
  staleAfterMs?: number;
  now?: () => number;
  /**
   * Seals stored responses at rest: a service whose answers carry personal data (erp's
   * customers) passes its field cipher so the 24 h replay copy is not plaintext.
   */
  sealer?: ResponseSealer;
}

interface Claim {
  scope: string;
  key: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim?: Claim;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * `Idempotency-Key` for POST/PUT/PATCH (IETF draft semantics): the first request with a key
 * runs and its response is stored; a retry with the same key and body gets that response
 * again (marked `Idempotent-Replayed: true`); the same key with a different body is a client
 * bug (422); a retry while the first is still running gets 409. 5xx responses are not stored,
 * so a retry after a server failure runs again.
 */
export function registerIdempotency<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: SomeFastify<L, P>,
  options: IdempotencyOptions,
): void {
  const store = new IdempotencyStore(options.db, options.sealer);
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const staleAfterMs = options.staleAfterMs ?? 60_000;

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!METHODS.has(request.method)) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? undefined : header;
    if (!key || !KEY_PATTERN.test(key)) {
      throw invalid('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1–200 visible ASCII characters, sent once');
    }
    const scope = scopeOf(request);
    const hash = requestHash(request);
    const at = now();
    await store.removeExpired(scope, key, at);
    if (await store.claim(scope, key, hash, at, ttlMs)) {
      request.idempotencyClaim = { scope, key };
      return;
    }
    const stored = await store.find(scope, key);
    if (!stored) {
      // The holder released it between our insert and read (a 5xx); claim it again.
      if (await store.claim(scope, key, hash, at, ttlMs)) request.idempotencyClaim = { scope, key };
      else throw inProgress();
      return;
    }
    if (stored.requestHash !== hash) {
      throw new AppError('unprocessable', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request');
    }
    if (stored.state === 'done') {
      reply.header('idempotent-replayed', 'true');
      if (stored.contentType) reply.header('content-type', stored.contentType);
      return reply.code(stored.statusCode ?? 200).send(stored.body ?? '');
    }
    if (at - stored.createdAt > staleAfterMs && (await store.takeOver(scope, key, stored.createdAt, at, ttlMs))) {
      request.idempotencyClaim = { scope, key };
      return;
    }
    throw inProgress();
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = undefined;
    if (reply.statusCode >= 500) {
      await store.release(claim.scope, claim.key);
    } else {
      const contentType = reply.getHeader('content-type');
      await store.complete(
        claim.scope,
        claim.key,
        reply.statusCode,
        typeof contentType === 'string' ? contentType : undefined,
        payloadText(payload),
      );
    }
    return payload;
  });

  app.addHook('onRequestAbort', async (request: FastifyRequest) => {
    const claim = request.idempotencyClaim;
    if (claim) await store.release(claim.scope, claim.key);
  });
}

function inProgress(): AppError {
  return new AppError('conflict', 'IDEMPOTENCY_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed', {
    headers: { 'retry-after': '1' },
  });
}

/** Keys belong to a caller and a route: two clients may pick the same key without colliding. */
function scopeOf(request: FastifyRequest): string {
  const caller = request.identity?.user ?? request.identity?.principal ?? 'anonymous';
  const route = request.routeOptions.url ?? request.url;
  return `${caller} ${request.method} ${route}`.slice(0, 255);
}

function requestHash(request: FastifyRequest): string {
  const hash = createHash('sha256');
  hash.update(`${request.method}\n${request.url}\n`);
  if (request.rawBody) hash.update(request.rawBody);
  else if (request.body !== undefined) hash.update(JSON.stringify(request.body));
  return hash.digest('hex');
}

function payloadText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  if (payload === undefined || payload === null) return '';
  return JSON.stringify(payload);
}
