import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth.service.js';
import { ANONYMOUS, type Consumer } from '../../edge/consumer.js';
import { GatewayError } from '../../errors.js';

/** Where Socket.IO clients open the channel (its default path, which the original clients use). */
export const SOCKET_PATH = '/socket.io/';

function queryOf(url: string): URLSearchParams {
  const mark = url.indexOf('?');
  return new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1));
}

const isSocketPath = (url: string) => url.split('?', 1)[0] === SOCKET_PATH;
const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Socket.IO sends its `auth` object only after the transport is open, so the gateway, which
 * decides before, reads the token the handshake request itself carries: `Authorization: Bearer`
 * (Node clients' `extraHeaders`) or `?token=` (a browser cannot set headers on a WebSocket).
 */
export function handshakeToken(request: FastifyRequest): string | undefined {
  const fromQuery = isSocketPath(request.url) ? queryOf(request.url).getAll('token') : [];
  const { authorization } = request.headers;
  if (request.headers['x-api-key'] !== undefined || /^AWS4-HMAC-SHA256 /.test(authorization ?? ''))
    throw GatewayError.AUTH_FAILED('The real-time channel takes an access token, not an API key or a signature');
  if (authorization !== undefined && !BEARER.test(authorization))
    throw GatewayError.AUTH_FAILED('Unsupported Authorization scheme; use Bearer');
  if (fromQuery.length + (authorization === undefined ? 0 : 1) > 1)
    throw GatewayError.AUTH_FAILED('Send the access token once: in the Authorization header or as ?token=');
  return authorization === undefined ? fromQuery[0] : BEARER.exec(authorization)?.[1];
}

/** Does the request name a handshake token? It is then limited as its user, not per address. */
export function carriesHandshakeToken(url: string): boolean {
  return isSocketPath(url) && queryOf(url).has('token');
}

/** The handshake's caller: the token's user when it is valid and unrevoked, anonymous when there is none. */
export async function handshakeConsumer(auth: Pick<AuthService, 'authenticateAccessToken'>, request: FastifyRequest): Promise<Consumer> {
  const token = handshakeToken(request);
  return token ? auth.authenticateAccessToken(token, request.edge.arrivedAt) : ANONYMOUS;
}

/**
 * The query sent on to sync: the client's, with the token the gateway verified as `token`
 * (sync verifies it again and takes the user's roles from it; the header does not travel,
 * since the gateway signs its own requests with it).
 */
export function upstreamQuery(request: FastifyRequest): string {
  const query = queryOf(request.url);
  // A request with a bad or doubled credential is refused by handshakeConsumer before anything is sent.
  const bearer = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) query.set('token', bearer);
  return query.toString();
}
