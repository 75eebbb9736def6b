import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../features/auth/auth.service.js';
import type { KeysService } from '../features/keys/keys.service.js';
import { GatewayError } from '../errors.js';
import { ANONYMOUS, type Consumer } from './consumer.js';

export interface ClientAuthDeps {
  auth: AuthService;
  keys: KeysService;
}

function splitUrl(url: string): { path: string; rawQuery: string } {
  const mark = url.indexOf('?');
  return mark === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, mark), rawQuery: url.slice(mark + 1) };
}

/**
 * One credential per request: `Authorization: Bearer <jwt>`, `X-API-Key`, or AWS SigV4
 * (Authorization header or presigned query). Several at once is refused, so nobody can
 * hide a weak credential behind a strong one. No credential is the anonymous consumer.
 */
export async function authenticateClient(deps: ClientAuthDeps, request: FastifyRequest): Promise<Consumer> {
  const authorization = request.headers.authorization;
  const apiKey = request.headers['x-api-key'];
  const { path, rawQuery } = splitUrl(request.url);
  const presigned = /(^|&)X-Amz-Signature=/i.test(rawQuery);
  const kinds = [authorization !== undefined, apiKey !== undefined, presigned].filter(Boolean).length;
  if (kinds > 1) throw GatewayError.AUTH_FAILED('Send exactly one credential: a bearer token, an API key or a SigV4 signature');
  const arrivedAt = request.edge?.arrivedAt ?? performance.now();
  if (typeof apiKey === 'string') {
    const { origin, referer } = request.headers;
    return deps.keys.authenticateApiKey(apiKey.trim(), request.ip, arrivedAt, {
      ...(typeof origin === 'string' ? { origin } : {}),
      ...(typeof referer === 'string' ? { referer } : {}),
    });
  }
  if (Array.isArray(apiKey)) throw GatewayError.API_KEY_INVALID('X-API-Key appears more than once');
  if (authorization?.startsWith('Bearer ')) return deps.auth.authenticateAccessToken(authorization.slice(7).trim(), arrivedAt);
  if (authorization?.startsWith('AWS4-HMAC-SHA256 ') || presigned) {
    return deps.keys.authenticateSigV4(
      {
        method: request.method,
        path,
        rawQuery,
        headers: request.headers,
        ...(request.rawBody ? { body: request.rawBody } : {}),
      },
      arrivedAt,
    );
  }
  if (authorization !== undefined) throw GatewayError.AUTH_FAILED('Unsupported Authorization scheme; use Bearer or AWS4-HMAC-SHA256');
  return ANONYMOUS;
}

export function requireUser(consumer: Consumer): asserts consumer is Consumer & { userId: string } {
  if (!consumer.userId) throw GatewayError.AUTH_REQUIRED('Authentication required');
}
