import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponseSchema, routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { gatewayAccess, userOf } from '../../access.js';
import type { AuthRouteDeps } from '../../deps.js';
import { GatewayError } from '../../errors.js';
import { APPLICATIONS } from './applications.js';
import { publicUser } from './users.repository.js';

const TokenPair = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds' }),
  refreshExpiresIn: Type.Integer({ description: 'seconds' }),
});

export const UserSchema = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  email: Type.String(),
  fullName: Type.String(),
  role: Type.String(),
  userType: Type.String(),
  department: Type.Union([Type.String(), Type.Null()]),
  isActive: Type.Boolean(),
  isLocked: Type.Boolean(),
  failedLoginAttempts: Type.Integer(),
  rateLimitTier: Type.String(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  passwordChangedAt: Type.String(),
  createdAt: Type.String(),
});

export const ApplicationSchema = Type.Union([Type.Literal('b2c'), Type.Literal('b2b'), Type.Literal('admin')], {
  description: `one of ${APPLICATIONS.join(', ')}`,
});

/** The original clients' minimum on the login form: shorter cannot be anyone's password, so it is not worth a guess. */
const ORIGINAL_LOGIN_MIN_PASSWORD = 8;

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 429: errorResponseSchema };
const tags = ['auth'];

function client(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

export function registerAuthRoutes(app: HttpApp, deps: AuthRouteDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(tags);
  const open = access.public('logging in and refreshing are how a client gets a credential');

  app.post(
    '/api/v1/auth/login',
    route(
      open,
      'Log in with user name or email and password; returns a token pair, or a challenge for the second factor (POST /api/v1/auth/2fa/verify)',
      {
        body: Type.Object(
          {
            username: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000]*$' })),
            email: Type.Optional(Type.String({ minLength: 3, maxLength: 255, format: 'email' })),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            application: Type.Optional(ApplicationSchema),
            rememberMe: Type.Optional(Type.Boolean({ description: 'a longer refresh lifetime' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Union([
            Type.Object({ ...TokenPair.properties, user: UserSchema }),
            Type.Object({ requiresTwoFactor: Type.Literal(true), challenge: Type.String({ format: 'uuid' }) }),
          ]),
          ...errors,
        },
      },
    ),
    async (request) => {
      const { username, email, password, application, rememberMe } = request.body;
      // The original clients send email, application or rememberMe; they get the original envelope.
      if (email !== undefined || application !== undefined || rememberMe !== undefined) request.edge.harsha = true;
      const login = username ?? email;
      if (login === undefined) throw GatewayError.VALIDATION_ERROR('username or email is required');
      if (request.edge.harsha && password.length < ORIGINAL_LOGIN_MIN_PASSWORD)
        throw GatewayError.VALIDATION_ERROR(`password must be at least ${ORIGINAL_LOGIN_MIN_PASSWORD} characters`);
      const result = await deps.auth.login(login, password, client(request), {
        ...(application ? { application } : {}),
        ...(rememberMe ? { rememberMe } : {}),
      });
      request.edge.consumer = { method: 'none', userId: result.user.user_id, roles: [result.user.role], tier: result.user.rate_limit_tier };
      if (result.requiresTwoFactor) return { requiresTwoFactor: true as const, challenge: result.challenge };
      const { user, requiresTwoFactor: _none, ...pair } = result;
      return { ...pair, user: publicUser(user) };
    },
  );

  app.post(
    '/api/v1/auth/refresh',
    route(open, 'Exchange a refresh token for a new pair; the old refresh token is spent (reuse revokes the session)', {
      body: Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: TokenPair, ...errors },
    }),
    async (request) => {
      const { session, ...pair } = await deps.auth.refresh(request.body.refreshToken, client(request));
      if (session.application) request.edge.harsha = true;
      return pair;
    },
  );

  app.post(
    '/api/v1/auth/logout',
    route(access.user, 'Revoke this session (or every session of the user with allSessions)', {
      // The original clients post no body at all.
      body: Type.Union([Type.Object({ allSessions: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), Type.Null()]),
      response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors },
    }),
    async (request) => {
      const consumer = userOf(request);
      return { revoked: await deps.auth.logout(consumer, request.body?.allSessions === true) };
    },
  );

  app.get('/api/v1/auth/profile', route(access.user, 'The calling user', { response: { 200: UserSchema, ...errors } }), async (request) => {
    const consumer = userOf(request);
    const user = await deps.users.findById(consumer.userId);
    if (!user) throw new Error('authenticated user vanished');
    return publicUser(user);
  });

  app.post(
    '/api/v1/auth/change-password',
    route(access.user, "Change the password; every token of the user is revoked (an original client's own session stays)", {
      body: Type.Object(
        { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ revokedTokens: Type.Integer() }), ...errors },
    }),
    async (request) => {
      const consumer = userOf(request);
      const keep = consumer.application ? consumer.tokenId : undefined;
      return {
        revokedTokens: await deps.auth.changePassword(consumer.userId, request.body.currentPassword, request.body.newPassword, keep),
      };
    },
  );

  const jwks = route(access.public('public keys that verify access tokens'), 'Public keys that verify access tokens (JWKS)', {
    response: { 200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
  });
  app.get('/api/v1/auth/jwks', jwks, async () => deps.signingKeys.jwks());
  app.get('/.well-known/jwks.json', jwks, async () => deps.signingKeys.jwks());
}
