import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { SocketUser } from './rooms.js';

export interface TokenCheckOptions {
  /** The gateway's JWKS; without one no socket can be authenticated. */
  jwksUrl: string | undefined;
  issuer: string;
  audience: string;
}

export type TokenCheck = (token: string) => Promise<SocketUser>;

/**
 * Verifies a gateway access token as the gateway does: ES256 against the gateway's published
 * keys (fetched and cached by kid; an unknown kid refetches), issuer, audience, expiry and
 * `typ: access`. The gateway's revocation list lives in its own database, which sync cannot
 * read, so a revoked token keeps a socket open until it expires; the socket is closed then.
 */
export function gatewayTokenCheck(options: TokenCheckOptions): TokenCheck {
  if (!options.jwksUrl) {
    return async () => {
      throw new Error('Token verification is not configured');
    };
  }
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 5_000 });
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, { issuer: options.issuer, audience: options.audience, algorithms: ['ES256'] });
    if (payload.typ !== 'access' || typeof payload.sub !== 'string') throw new Error('Not an access token');
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((role): role is string => typeof role === 'string')
      : typeof payload.role === 'string'
        ? [payload.role]
        : [];
    return { userId: payload.sub, roles, expiresAt: payload.exp };
  };
}

/**
 * The token as the original clients send it: `auth.token` in the handshake or an `Authorization:
 * Bearer` header; or `?token=` on the handshake request, which is how the gateway passes on the
 * token it checked (it reads the token before the transport opens, when `auth` is not yet sent).
 */
export function handshakeToken(
  auth: Record<string, unknown>,
  authorization: string | undefined,
  query: Record<string, unknown> = {},
): string | undefined {
  if (typeof auth.token === 'string' && auth.token.length > 0) return auth.token.replace(/^Bearer\s+/i, '');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (match) return match[1];
  return typeof query.token === 'string' && query.token.length > 0 ? query.token : undefined;
}
