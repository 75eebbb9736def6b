import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { gatewayAccess, userOf } from '../../access.js';
import type { HarshaAuthDeps } from '../../deps.js';
import { GatewayError } from '../../errors.js';
import { ApplicationSchema, UserSchema } from '../auth/auth.routes.js';
import { mayUseApplication, REGISTRATION_ROLES } from '../auth/applications.js';
import { checkPolicy } from '../auth/passwords.js';
import { publicUser } from '../auth/users.repository.js';
import { accountErrors, clientOf } from './route-parts.js';
import { envelope } from './envelope.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Phone = Type.String({ maxLength: 30, description: 'accepted for the original clients; not kept (see the gateway README)' });

/** The original gateway's account calls that Tributary had no form of: register, profile update, application access. */
export function registerHarshaAuthRoutes(app: HttpApp, deps: HarshaAuthDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(['auth']);

  app.post(
    '/api/v1/auth/register',
    route(
      access.public('self-registration of shop and business customers, who get the lowest role of their application'),
      'Register a customer (original body); the new user has the lowest role and an unverified email, and is signed in',
      {
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: 100, format: 'email' }),
            password: Type.String({ minLength: 8, maxLength: 256 }),
            firstName: Name,
            lastName: Name,
            phone: Type.Optional(Phone),
            company: Type.Optional(Type.String({ maxLength: 100 })),
            application: Type.Union([Type.Literal('b2c'), Type.Literal('b2b')]),
            organizationType: Type.Union([Type.Literal('individual'), Type.Literal('business')]),
          },
          { additionalProperties: false },
        ),
        response: {
          201: envelope(
            Type.Object({
              user: UserSchema,
              emailVerified: Type.Boolean(),
              accessToken: Type.String(),
              refreshToken: Type.String(),
              tokenType: Type.Literal('Bearer'),
              expiresIn: Type.Integer(),
              refreshExpiresIn: Type.Integer(),
            }),
          ),
          ...accountErrors,
        },
      },
    ),
    async (request, reply) => {
      const body = request.body;
      checkPolicy(body.password, deps.policy);
      const email = body.email.toLowerCase();
      const user = await deps.users.create({
        userId: `usr_${randomUUID().replace(/-/g, '')}`,
        username: email,
        email,
        passwordHash: await deps.hasher.hash(body.password),
        fullName: `${body.firstName} ${body.lastName}`,
        // Never chosen by the caller: the lowest role the named application knows.
        role: REGISTRATION_ROLES[body.application],
        userType: 'external',
        department: body.company ?? null,
        tier: 'basic',
        createdBy: 'self-registration',
      });
      const { user: row, ...pair } = await deps.auth.completeLogin(user, clientOf(request), {
        application: body.application,
      });
      request.edge.consumer = { method: 'none', userId: row.user_id, roles: [row.role], tier: row.rate_limit_tier };
      return reply.code(201).send({ success: true as const, data: { user: publicUser(row), emailVerified: row.is_verified, ...pair } });
    },
  );

  app.put(
    '/api/v1/auth/profile',
    route(access.user, 'Update the calling user (original body: firstName, lastName, phone, department)', {
      body: Type.Object(
        {
          firstName: Type.Optional(Name),
          lastName: Type.Optional(Name),
          fullName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          phone: Type.Optional(Phone),
          department: Type.Optional(Type.String({ maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: envelope(UserSchema), ...accountErrors },
    }),
    async (request) => {
      const consumer = userOf(request);
      const current = await deps.users.findById(consumer.userId);
      if (!current) throw GatewayError.USER_NOT_FOUND('The calling user no longer exists');
      const { firstName, lastName, fullName, department } = request.body;
      const [currentFirst = '', ...currentRest] = current.full_name.split(' ');
      const name =
        fullName ??
        (firstName !== undefined || lastName !== undefined
          ? `${firstName ?? currentFirst} ${lastName ?? currentRest.join(' ')}`.trim()
          : undefined);
      const row = await deps.users.update(
        consumer.userId,
        { ...(name !== undefined ? { fullName: name } : {}), ...(department !== undefined ? { department } : {}) },
        consumer.userId,
        new Date(deps.clock.now()),
      );
      if (!row) throw GatewayError.USER_NOT_FOUND('The calling user no longer exists');
      return { success: true as const, data: publicUser(row) };
    },
  );

  app.get(
    '/api/v1/auth/applications/:app/access',
    route(access.user, 'Whether the calling user may use an application (b2c, b2b, admin)', {
      params: Type.Object({ app: ApplicationSchema }),
      response: {
        200: envelope(
          Type.Object({ application: ApplicationSchema, hasAccess: Type.Boolean(), role: Type.String(), userType: Type.String() }),
        ),
        ...accountErrors,
      },
    }),
    async (request) => {
      const consumer = userOf(request);
      const user = await deps.users.findById(consumer.userId);
      if (!user) throw GatewayError.USER_NOT_FOUND('The calling user no longer exists');
      const application = request.params.app;
      return {
        success: true as const,
        data: { application, hasAccess: mayUseApplication(user, application), role: user.role, userType: user.user_type },
      };
    },
  );
}
