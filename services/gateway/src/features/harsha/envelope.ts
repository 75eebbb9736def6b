import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { HttpApp } from '@tributary/platform/http';

/** Where the original gateway answered; Tributary's own paths elsewhere never change shape. */
const SURFACE = ['/api/v1/auth/', '/api/v1/admin/', '/api/v1/proxy/'];

/** Paths and methods only the original clients call: their answers are always enveloped. */
const ORIGINAL_ONLY: ReadonlyArray<{ method?: string; path: RegExp }> = [
  { path: /^\/api\/v1\/auth\/(register|applications\/[^/]+\/access|2fa(\/.*)?)$/ },
  { method: 'PUT', path: /^\/api\/v1\/auth\/profile$/ },
  { path: /^\/api\/v1\/admin\/dashboard$/ },
  { method: 'PUT', path: /^\/api\/v1\/admin\/(users|routes)\/[^/]+$/ },
  { path: /^\/api\/v1\/proxy\// },
];

/** The original success body: `{success: true, data}`. */
export function envelope<T extends TSchema>(data: T) {
  return Type.Object({ success: Type.Literal(true), data });
}

export function isOriginalOnly(method: string, path: string): boolean {
  return ORIGINAL_ONLY.some((rule) => (rule.method === undefined || rule.method === method) && rule.path.test(path));
}

/**
 * Whether this request came from an original Harsha client (ADR 0408): an original-only path,
 * the original clients' `X-Application-Context` header, a session opened by an original login
 * (its tokens name the application), or a handler that recognised the original body.
 */
/**
 * The application a bearer token names, read without verifying it: only the shape of the answer
 * depends on it, so a refused (expired, revoked) token of an original session still gets its
 * refusal in the envelope.
 */
function bearerApplication(request: FastifyRequest): unknown {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
  try {
    return decodeJwt(header.slice(7)).app;
  } catch {
    return undefined;
  }
}

export function isHarshaForm(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0] ?? '/';
  if (!SURFACE.some((prefix) => path.startsWith(prefix))) return false;
  return (
    isOriginalOnly(request.method, path) ||
    request.headers['x-application-context'] !== undefined ||
    request.edge?.harsha === true ||
    request.edge?.consumer.application !== undefined ||
    bearerApplication(request) !== undefined
  );
}

function wrapped(status: number, body: unknown): unknown {
  if (status >= 400) {
    const error = (body ?? {}) as { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
    return {
      success: false,
      error: typeof error.message === 'string' ? error.message : 'Request failed',
      code: typeof error.code === 'string' ? error.code : 'ERROR',
      ...(typeof error.requestId === 'string' ? { requestId: error.requestId } : {}),
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
  }
  // Only an answer already in the envelope passes as it is: an upstream's own flat `success`
  // field (erp's order answer carries one) does not make its body the envelope's `data`.
  if (body !== null && typeof body === 'object' && 'success' in body && 'data' in body) return body;
  return { success: true, data: body };
}

/** Wraps JSON answers on the Harsha surface in the original envelope, successes and failures alike. */
export function registerHarshaEnvelope(app: HttpApp): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (typeof payload !== 'string' || !isHarshaForm(request)) return payload;
    if (!String(reply.getHeader('content-type') ?? '').includes('json')) return payload;
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      return payload;
    }
    const next = JSON.stringify(wrapped(reply.statusCode, body));
    reply.header('content-length', Buffer.byteLength(next));
    return next;
  });
}
