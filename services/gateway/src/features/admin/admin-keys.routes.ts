import { Type } from '@sinclair/typebox';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import type { AdminKeyDeps } from '../../deps.js';
import type { ApiKeyRow } from '../keys/keys.repository.js';
import { adminOf, gatewayAccess } from '../../access.js';
import { adminPage } from './admin-page.js';
import { assertMayManage } from './roles.js';
import { errors, Page, Paging, Tier, tags } from './admin.schemas.js';

const DomainList = Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
  minItems: 1,
  maxItems: 100,
  description: 'origins (https://shop.example), hosts (shop.example) or *.example.com; requests must come from one (Origin, else Referer)',
});

const ApiKeySchema = Type.Object({
  keyId: Type.String(),
  name: Type.String(),
  userId: Type.String(),
  serviceName: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
  ipAllowlist: Type.Union([Type.Array(Type.String()), Type.Null()]),
  domainAllowlist: Type.Union([Type.Array(Type.String()), Type.Null()]),
  rateLimitTier: Type.String(),
  limits: Type.Object({ minute: Type.Integer(), hour: Type.Integer(), day: Type.Integer() }),
  isActive: Type.Boolean(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  usage: Type.Object({ total: Type.Integer(), successful: Type.Integer(), failed: Type.Integer() }),
  createdAt: Type.String(),
});

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

function publicKey(row: ApiKeyRow) {
  return {
    keyId: row.key_id,
    name: row.key_name,
    userId: row.user_id,
    serviceName: row.service_name,
    scopes: row.permissions,
    ipAllowlist: row.ip_whitelist,
    domainAllowlist: row.domain_whitelist,
    rateLimitTier: row.rate_limit_tier,
    limits: { minute: row.requests_per_minute, hour: row.requests_per_hour, day: row.requests_per_day },
    isActive: row.is_active,
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    usage: { total: Number(row.total_requests), successful: Number(row.successful_requests), failed: Number(row.failed_requests) },
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const AccessKeySchema = Type.Object({
  accessKeyId: Type.String(),
  secretAccessKey: Type.String(),
  sessionToken: Type.Optional(Type.String()),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  previous: Type.Optional(Type.Object({ accessKeyId: Type.String(), expiresAt: Type.String() })),
});

const AccessKeySummary = Type.Object({
  accessKeyId: Type.String(),
  userId: Type.String(),
  scopes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  isActive: Type.Boolean(),
  temporary: Type.Boolean(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

function publicAccessKey(row: Awaited<ReturnType<AdminKeyDeps['keysRepo']['listAccessKeys']>>['items'][number]) {
  return {
    accessKeyId: row.access_key_id,
    userId: row.user_id,
    scopes: row.scopes,
    description: row.description,
    isActive: row.is_active,
    temporary: Boolean(row.temporary),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The key's owner role, or undefined when there is no such key (a 404 either way). */
function ownerOf(row: { owner_role: string } | undefined): { role: string } | undefined {
  return row ? { role: row.owner_role } : undefined;
}

const Grace = Type.Object(
  { graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86_400 })) },
  { additionalProperties: false },
);
const ApiKeyParams = Type.Object({ keyId: Type.String({ format: 'uuid' }) });
const AccessKeyParams = Type.Object({ accessKeyId: Type.String({ maxLength: 40 }) });

export function registerAdminKeyRoutes(app: HttpApp, deps: AdminKeyDeps): void {
  const access = gatewayAccess(deps);
  const route = routeOptionsFor(tags);
  // A key acts as its user: managing one is acting on that user, so the same rank rule holds.
  const assertMayManageApiKey = async (callerRoles: readonly string[], keyId: string) =>
    assertMayManage(callerRoles, ownerOf(await deps.keysRepo.findApiKey(keyId)), `API key ${keyId}`);
  const assertMayManageAccessKey = async (callerRoles: readonly string[], accessKeyId: string) =>
    assertMayManage(callerRoles, ownerOf(await deps.keysRepo.findAccessKey(accessKeyId)), `access key ${accessKeyId}`);
  app.get(
    '/api/v1/admin/api-keys',
    route(access.admin, 'List API keys (never the secret)', {
      querystring: Type.Object({
        ...Paging,
        userId: Type.Optional(Type.String()),
        serviceName: Type.Optional(Type.String()),
        isActive: Type.Optional(Type.Boolean()),
      }),
      response: { 200: Page(ApiKeySchema), ...errors },
    }),
    async (request) => {
      await deps.keys.flushUsage();
      return adminPage(request.query, (filters, page, limit) => deps.keysRepo.listApiKeys(filters, page, limit), publicKey);
    },
  );

  app.post(
    '/api/v1/admin/api-keys',
    route(access.admin, 'Create an API key; the key is in this response only', {
      body: Type.Object(
        {
          userId: Type.String({ minLength: 1, maxLength: 140 }),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          serviceName: Type.Optional(Type.String({ maxLength: 100 })),
          scopes: Type.Array(Type.String({ maxLength: 101 }), { minItems: 1, maxItems: 100 }),
          ipAllowlist: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 })),
          domainAllowlist: Type.Optional(DomainList),
          rateLimitTier: Type.Optional(Tier),
          expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Object({ key: Type.String(), apiKey: ApiKeySchema }), ...errors },
    }),
    async (request, reply) => {
      const caller = adminOf(request);
      const by = caller.userId;
      const body = request.body;
      // A key acts as its user: minting one for a higher role would be acting as that role.
      assertMayManage(caller.roles, await deps.users.findById(body.userId), `user ${body.userId}`);
      const { key, row } = await deps.keys.createApiKey({
        userId: body.userId,
        name: body.name,
        description: body.description ?? null,
        serviceName: body.serviceName ?? null,
        scopes: body.scopes,
        ipAllowlist: body.ipAllowlist ?? null,
        domainAllowlist: body.domainAllowlist ?? null,
        ...(body.rateLimitTier ? { tier: body.rateLimitTier } : {}),
        expiresAt: body.expiresAt ?? null,
        createdBy: by,
      });
      return reply.code(201).send({ key, apiKey: publicKey(row) });
    },
  );

  app.patch(
    '/api/v1/admin/api-keys/:keyId',
    route(access.admin, 'Change a key: a new tier rewrites its three limits; scopes, allowlist, expiry and name can change too', {
      params: ApiKeyParams,
      body: Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          scopes: Type.Optional(Type.Array(Type.String({ maxLength: 101 }), { minItems: 1, maxItems: 100 })),
          ipAllowlist: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 }), Type.Null()])),
          domainAllowlist: Type.Optional(Type.Union([DomainList, Type.Null()])),
          rateLimitTier: Type.Optional(Tier),
          expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      response: { 200: ApiKeySchema, ...errors },
    }),
    async (request) => {
      const caller = adminOf(request);
      const by = caller.userId;
      await assertMayManageApiKey(caller.roles, request.params.keyId);
      const { rateLimitTier, ...rest } = request.body;
      const row = await deps.keys.updateApiKey(request.params.keyId, { ...rest, ...(rateLimitTier ? { tier: rateLimitTier } : {}) }, by);
      return publicKey(row);
    },
  );

  app.post(
    '/api/v1/admin/api-keys/:keyId/rotate',
    route(access.admin, 'Issue a replacement API key (in this response only); the old one keeps working for graceSeconds', {
      params: ApiKeyParams,
      body: Type.Optional(Grace),
      response: {
        201: Type.Object({
          key: Type.String(),
          apiKey: ApiKeySchema,
          previous: Type.Object({ keyId: Type.String(), expiresAt: Type.String() }),
        }),
        ...errors,
      },
    }),
    async (request, reply) => {
      const caller = adminOf(request);
      await assertMayManageApiKey(caller.roles, request.params.keyId);
      const rotated = await deps.keys.rotateApiKey(request.params.keyId, request.body?.graceSeconds ?? 86_400, caller.userId);
      return reply.code(201).send({ key: rotated.key, apiKey: publicKey(rotated.row), previous: rotated.previous });
    },
  );

  app.delete(
    '/api/v1/admin/api-keys/:keyId',
    route(access.admin, 'Revoke an API key (effective on the next request everywhere)', {
      params: ApiKeyParams,
      response: { 204: Type.Null(), ...errors },
    }),
    async (request, reply) => {
      const caller = adminOf(request);
      await assertMayManageApiKey(caller.roles, request.params.keyId);
      await deps.keys.revokeApiKey(request.params.keyId, caller.userId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/access-keys',
    route(access.admin, 'List SigV4 access keys (never the secret or session token)', {
      querystring: Type.Object({ ...Paging, userId: Type.Optional(Type.String()), isActive: Type.Optional(Type.Boolean()) }),
      response: { 200: Page(AccessKeySummary), ...errors },
    }),
    async (request) =>
      adminPage(request.query, (filters, page, limit) => deps.keysRepo.listAccessKeys(filters, page, limit), publicAccessKey),
  );

  app.post(
    '/api/v1/admin/access-keys',
    route(access.admin, 'Create SigV4 client credentials (temporary with ttlSeconds: expiry plus session token)', {
      body: Type.Object(
        {
          userId: Type.String({ minLength: 1, maxLength: 140 }),
          scopes: Type.Optional(Type.Array(Type.String({ maxLength: 101 }), { maxItems: 100 })),
          ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 7 * 24 * 3600 })),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
      response: { 201: AccessKeySchema, ...errors },
    }),
    async (request, reply) => {
      const caller = adminOf(request);
      const by = caller.userId;
      const body = request.body;
      assertMayManage(caller.roles, await deps.users.findById(body.userId), `user ${body.userId}`);
      const created = await deps.keys.createAccessKey({
        userId: body.userId,
        scopes: body.scopes ?? null,
        ...(body.ttlSeconds !== undefined ? { ttlSeconds: body.ttlSeconds } : {}),
        description: body.description ?? null,
        createdBy: by,
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/v1/admin/access-keys/:accessKeyId/rotate',
    route(access.admin, 'Issue a replacement access key; the old one keeps working for graceSeconds', {
      params: AccessKeyParams,
      body: Type.Optional(Grace),
      response: { 201: AccessKeySchema, ...errors },
    }),
    async (request, reply) => {
      const caller = adminOf(request);
      const by = caller.userId;
      await assertMayManageAccessKey(caller.roles, request.params.accessKeyId);
      const rotated = await deps.keys.rotateAccessKey(request.params.accessKeyId, request.body?.graceSeconds ?? 86_400, by);
      return reply.code(201).send(rotated);
    },
  );

  app.delete(
    '/api/v1/admin/access-keys/:accessKeyId',
    route(access.admin, 'Revoke an access key', { params: AccessKeyParams, response: { 204: Type.Null(), ...errors } }),
    async (request, reply) => {
      const caller = adminOf(request);
      await assertMayManageAccessKey(caller.roles, request.params.accessKeyId);
      await deps.keys.revokeAccessKey(request.params.accessKeyId);
      return reply.code(204).send(null);
    },
  );
}
