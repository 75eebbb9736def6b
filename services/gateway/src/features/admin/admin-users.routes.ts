import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { GatewayError } from '../../errors.js';
import type { AdminUserDeps } from '../../deps.js';
import { UserSchema } from '../auth/auth.routes.js';
import { checkPolicy } from '../auth/passwords.js';
import { publicUser } from '../auth/users.repository.js';
import { adminOf, gatewayAccess } from '../../access.js';
import { adminPage } from './admin-page.js';
import { assertMayGrant, assertMayManage } from './roles.js';
import { errors, Page, Paging, Tier, tags } from './admin.schemas.js';

const UserParams = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 140 }) });

export function registerAdminUserRoutes(app: HttpApp, deps: AdminUserDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(tags);
  const now = () => new Date(deps.clock.now());

  app.get(
    '/api/v1/admin/users',
    route(access.admin, 'List users (filters: role, isActive, userType, search)', {
      querystring: Type.Object({
        ...Paging,
        role: Type.Optional(Type.String()),
        isActive: Type.Optional(Type.Boolean()),
        userType: Type.Optional(Type.String()),
        search: Type.Optional(Type.String({ maxLength: 100 })),
        sortBy: Type.Optional(
          Type.Union(
            [
              Type.Literal('created_at'),
              Type.Literal('updated_at'),
              Type.Literal('username'),
              Type.Literal('role'),
              Type.Literal('last_login_at'),
            ],
            { default: 'created_at' },
          ),
        ),
        sortOrder: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
      }),
      response: { 200: Page(UserSchema), ...errors },
    }),
    async (request) => adminPage(request.query, (filters, page, limit) => deps.users.list(filters, page, limit), publicUser),
  );

  app.post(
    '/api/v1/admin/users',
    route(access.admin, 'Create a user', {
      body: Type.Object(
        {
          username: Type.String({ minLength: 2, maxLength: 100, pattern: '^[A-Za-z0-9._@-]+$' }),
          email: Type.String({ minLength: 3, maxLength: 255, format: 'email' }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
          fullName: Type.String({ minLength: 1, maxLength: 200 }),
          role: Type.String({ minLength: 1, maxLength: 50 }),
          userType: Type.Optional(Type.Union([Type.Literal('internal'), Type.Literal('external'), Type.Literal('service')])),
          department: Type.Optional(Type.String({ maxLength: 100 })),
          rateLimitTier: Type.Optional(Tier),
        },
        { additionalProperties: false },
      ),
      response: { 201: UserSchema, ...errors },
    }),
    async (request, reply) => {
      const caller = adminOf(request);
      const by = caller.userId;
      const body = request.body;
      assertMayGrant(caller.roles, body.role);
      checkPolicy(body.password, deps.policy);
      const row = await deps.users.create({
        userId: `usr_${body.username.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`.slice(0, 140),
        username: body.username,
        email: body.email,
        passwordHash: await deps.hasher.hash(body.password),
        fullName: body.fullName,
        role: body.role,
        ...(body.userType ? { userType: body.userType } : {}),
        department: body.department ?? null,
        ...(body.rateLimitTier ? { tier: body.rateLimitTier } : {}),
        createdBy: by,
      });
      return reply.code(201).send(publicUser(row));
    },
  );

  const UpdateBody = Type.Object(
    {
      fullName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      role: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
      department: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
      isActive: Type.Optional(Type.Boolean()),
      isVerified: Type.Optional(Type.Boolean()),
      rateLimitTier: Type.Optional(Tier),
      unlock: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  );
  const updateUser = (summary: string) =>
    route(access.admin, summary, { params: UserParams, body: UpdateBody, response: { 200: UserSchema, ...errors } });
  const update = async (request: FastifyRequest<{ Params: Static<typeof UserParams>; Body: Static<typeof UpdateBody> }>) => {
    const caller = adminOf(request);
    const by = caller.userId;
    assertMayManage(caller.roles, await deps.users.findById(request.params.userId), `user ${request.params.userId}`);
    if (request.body.role !== undefined) assertMayGrant(caller.roles, request.body.role);
    const { rateLimitTier, ...rest } = request.body;
    const row = await deps.users.update(request.params.userId, { ...rest, ...(rateLimitTier ? { tier: rateLimitTier } : {}) }, by, now());
    if (!row) throw GatewayError.USER_NOT_FOUND(`No user ${request.params.userId}`);
    if (request.body.unlock) await deps.auth.unlock(row.user_id);
    if (request.body.isActive === false) await deps.auth.revokeUser(row.user_id, by, 'User deactivated');
    else await deps.versions.bump('auth');
    return publicUser(row);
  };
  app.patch(
    '/api/v1/admin/users/:userId',
    updateUser('Update a user (role, tier, activation, unlock); revokes sessions when deactivated'),
    update,
  );
  // The original admin client updates users with PUT and a partial body.
  app.put('/api/v1/admin/users/:userId', updateUser('Update a user (the original verb; partial like PATCH)'), update);

  app.post(
    '/api/v1/admin/users/:userId/revoke-tokens',
    route(access.admin, 'Revoke every token of a user, on every replica', {
      params: UserParams,
      response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors },
    }),
    async (request) => {
      const caller = adminOf(request);
      assertMayManage(caller.roles, await deps.users.findById(request.params.userId), `user ${request.params.userId}`);
      return { revoked: await deps.auth.revokeUser(request.params.userId, caller.userId) };
    },
  );

  app.post(
    '/api/v1/admin/tokens/:tokenId/revoke',
    route(access.admin, 'Revoke one token by its id (jti)', {
      params: Type.Object({ tokenId: Type.String({ format: 'uuid' }) }),
      response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors },
    }),
    async (request) => {
      const caller = adminOf(request);
      const token = await deps.tokens.find(request.params.tokenId);
      if (token) assertMayManage(caller.roles, await deps.users.findById(token.user_id), `token ${request.params.tokenId}`);
      return { revoked: await deps.auth.revokeToken(request.params.tokenId, caller.userId) };
    },
  );

  app.post(
    '/api/v1/admin/signing-keys/rotate',
    route(access.superAdmin, 'Rotate the JWT signing key (old keys keep verifying until their tokens expire)', {
      response: { 200: Type.Object({ kid: Type.String() }), ...errors },
    }),
    async () => {
      return { kid: await deps.signingKeys.rotate() };
    },
  );
}
