import { Type } from '@sinclair/typebox';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { gatewayAccess, userOf } from '../../access.js';
import type { HarshaAuthDeps } from '../../deps.js';
import { GatewayError } from '../../errors.js';
import { UserSchema } from '../auth/auth.routes.js';
import { publicUser } from '../auth/users.repository.js';
import { accountErrors, clientOf } from '../harsha/route-parts.js';
import { envelope } from '../harsha/envelope.js';

const Code = Type.String({ minLength: 6, maxLength: 32, description: 'a 6-digit TOTP code or a recovery code' });

/** TOTP two-factor for users: enrol, confirm, the second login step, and disable. */
export function registerTwoFactorRoutes(app: HttpApp, deps: HarshaAuthDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(['auth']);

  app.get(
    '/api/v1/auth/2fa',
    route(access.user, "The calling user's two-factor state", {
      response: { 200: envelope(Type.Object({ enabled: Type.Boolean(), recoveryCodesLeft: Type.Integer() })), ...accountErrors },
    }),
    async (request) => ({ success: true as const, data: await deps.twoFactor.status(userOf(request).userId) }),
  );

  app.post(
    '/api/v1/auth/2fa/setup',
    route(access.user, 'Start enrolment: a new TOTP secret and its otpauth URI; nothing changes until a first code confirms it', {
      response: { 200: envelope(Type.Object({ secret: Type.String(), otpauthUrl: Type.String() })), ...accountErrors },
    }),
    async (request) => {
      const user = await deps.users.findById(userOf(request).userId);
      if (!user) throw GatewayError.USER_NOT_FOUND('The calling user no longer exists');
      return { success: true as const, data: await deps.twoFactor.enrol(user) };
    },
  );

  app.post(
    '/api/v1/auth/2fa/enable',
    route(access.user, 'Confirm enrolment with a first code; returns ten single-use recovery codes, shown this once', {
      body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
      response: { 200: envelope(Type.Object({ enabled: Type.Literal(true), recoveryCodes: Type.Array(Type.String()) })), ...accountErrors },
    }),
    async (request) => {
      const { recoveryCodes } = await deps.twoFactor.confirm(userOf(request).userId, request.body.code, clientOf(request));
      return { success: true as const, data: { enabled: true as const, recoveryCodes } };
    },
  );

  app.post(
    '/api/v1/auth/2fa/verify',
    route(
      access.public('the second login step; the challenge from the password step is the credential'),
      'Complete a login that answered requiresTwoFactor: the challenge and a TOTP or recovery code give the token pair',
      {
        body: Type.Object({ challenge: Type.String({ format: 'uuid' }), code: Code }, { additionalProperties: false }),
        response: {
          200: envelope(
            Type.Object({
              accessToken: Type.String(),
              refreshToken: Type.String(),
              tokenType: Type.Literal('Bearer'),
              expiresIn: Type.Integer(),
              refreshExpiresIn: Type.Integer(),
              user: UserSchema,
            }),
          ),
          ...accountErrors,
        },
      },
    ),
    async (request) => {
      const {
        user,
        session: _session,
        ...pair
      } = await deps.twoFactor.verifyLogin(request.body.challenge, request.body.code, clientOf(request));
      request.edge.consumer = { method: 'none', userId: user.user_id, roles: [user.role], tier: user.rate_limit_tier };
      return { success: true as const, data: { ...pair, user: publicUser(user) } };
    },
  );

  app.post(
    '/api/v1/auth/2fa/disable',
    route(access.user, 'Turn two-factor off; needs a current TOTP or recovery code', {
      body: Type.Object({ code: Code }, { additionalProperties: false }),
      response: { 200: envelope(Type.Object({ enabled: Type.Literal(false) })), ...accountErrors },
    }),
    async (request) => {
      await deps.twoFactor.disable(userOf(request).userId, request.body.code, clientOf(request));
      return { success: true as const, data: { enabled: false as const } };
    },
  );
}
