import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponseSchema, ownCredentialAccess, publicAccess, routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { requireUser } from '../../edge/client-auth.js';
import { applyLimits, authenticateAtEdge } from '../../edge/limits.js';
import { GatewayError } from '../../errors.js';
import type { AuthRouteDeps } from '../../deps.js';
import { UserSchema } from '../auth/auth.routes.js';
import { publicUser } from '../auth/users.repository.js';
import { clearSessionCookie, SESSION_PATH, sessionCookieOf, setSessionCookie } from './session-cookie.js';

/** Paths of the browser session that take no bearer token (the cookie or the password is the credential). */

/**
 * Asked of every cookie-authenticated call: a cross-site form cannot set a custom header, so
 * this holds even where a browser would not honour SameSite.
 */
const CSRF_HEADER = 'x-tributary-session';

const BrowserSession = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  user: UserSchema,
});

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 429: errorResponseSchema };
const tags = ['auth'];
const headers = Type.Object({ [CSRF_HEADER]: Type.Literal('1') });

function client(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/**
 * The console's sign-in: the same login and rotation as /api/v1/auth/login and /refresh, but
 * the refresh token travels only in an httpOnly cookie and the page keeps the access token in
 * memory. The JSON API is unchanged for every other client.
 */
export function registerSessionRoutes(app: HttpApp, runtime: AuthRouteDeps): void {
  const open = publicAccess('signing in and renewing from the cookie are how a browser gets a credential');
  // Clears the cookie first, whatever the bearer turns out to be, then authenticates it itself.
  const signOut = ownCredentialAccess('signing out clears the cookie before it checks the bearer token');
  const route = routeOptionsFor(tags);
  async function sessionFor(
    request: FastifyRequest,
    reply: FastifyReply,
    pair: { accessToken: string; refreshToken: string; expiresIn: number; refreshExpiresIn: number },
  ) {
    const consumer = await runtime.auth.authenticateAccessToken(pair.accessToken);
    const user = consumer.userId ? await runtime.users.findById(consumer.userId) : undefined;
    if (!user) throw GatewayError.ACCOUNT_DISABLED('This account no longer exists');
    setSessionCookie(request, reply, pair.refreshToken, pair.refreshExpiresIn);
    return { accessToken: pair.accessToken, tokenType: 'Bearer' as const, expiresIn: pair.expiresIn, user: publicUser(user) };
  }

  app.post(
    SESSION_PATH,
    route(open, 'Sign a browser in: returns an access token and sets the refresh token as an httpOnly, SameSite=Strict cookie', {
      headers,
      body: Type.Object(
        {
          username: Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000]*$' }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
        },
        { additionalProperties: false },
      ),
      response: { 200: BrowserSession, ...errors },
    }),
    async (request, reply) => {
      const result = await runtime.auth.login(request.body.username, request.body.password, client(request));
      // The console has no second step yet; an account with a second factor signs in through the API.
      if (result.requiresTwoFactor) throw GatewayError.TWO_FACTOR_REQUIRED('This account uses two-factor authentication');
      const { user, requiresTwoFactor: _none, ...pair } = result;
      request.edge.consumer = { method: 'none', userId: user.user_id, roles: [user.role], tier: user.rate_limit_tier };
      return sessionFor(request, reply, pair);
    },
  );

  app.post(
    `${SESSION_PATH}/refresh`,
    route(open, 'Renew the browser session from its cookie: a new access token, and the cookie rotates', {
      headers,
      response: { 200: BrowserSession, ...errors },
    }),
    async (request, reply) => {
      const token = sessionCookieOf(request);
      if (!token) throw GatewayError.REFRESH_TOKEN_INVALID('No session: sign in');
      try {
        return await sessionFor(request, reply, await runtime.auth.refresh(token, client(request)));
      } catch (error) {
        // A spent, revoked or expired cookie is of no further use to the browser.
        clearSessionCookie(request, reply);
        throw error;
      }
    },
  );

  app.post(
    `${SESSION_PATH}/end`,
    route(signOut, 'Sign the browser out: revokes the session and clears its cookie', {
      headers,
      response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors },
    }),
    async (request, reply) => {
      clearSessionCookie(request, reply);
      const consumer = await authenticateAtEdge(runtime, request, reply);
      request.edge.consumer = consumer;
      requireUser(consumer);
      await applyLimits(runtime, request, reply, consumer);
      return { revoked: await runtime.auth.logout(consumer, false) };
    },
  );
}
