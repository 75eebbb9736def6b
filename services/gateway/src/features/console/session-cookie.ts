import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The browser session's refresh token lives only in this cookie: httpOnly so page script (and
 * anything injected into it) never reads it, SameSite=Strict so no other site can make the
 * browser spend it, and scoped to the session endpoints so no other request carries it.
 */
export const SESSION_COOKIE = 'tributary_session';
export const SESSION_PATH = '/api/v1/auth/session';

export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  // Secure whenever the client reached us over TLS; a plain-HTTP demo on localhost still signs in.
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=${SESSION_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, refreshToken: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', cookie(request, refreshToken, maxAgeSeconds));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', cookie(request, '', 0));
}
