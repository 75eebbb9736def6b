import { Type } from '@sinclair/typebox';
import { errorResponseSchema } from '@tributary/platform/http';

export const Tier = Type.Union([Type.Literal('basic'), Type.Literal('standard'), Type.Literal('premium'), Type.Literal('unlimited')]);
export const Paging = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
};
export const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
};
export const Page = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), page: Type.Integer(), limit: Type.Integer(), total: Type.Integer() });
export const Loose = Type.Object({}, { additionalProperties: true });
export const tags = ['admin'];

const Servers = Type.Array(
  Type.Object(
    { url: Type.String({ minLength: 1, maxLength: 500 }), weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
    { additionalProperties: false },
  ),
  { maxItems: 50 },
);
const Strings = Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 }), Type.Null()]);

export const RouteBody = Type.Object(
  {
    pathPattern: Type.String({ minLength: 1, maxLength: 500, pattern: '^/' }),
    httpMethod: Type.Union(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'ANY'].map((m) => Type.Literal(m))),
    serviceName: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z][a-z0-9_-]*$' }),
    upstreamUrl: Type.String({ minLength: 1, maxLength: 500, description: 'absolute http(s) URL, or peer:<service>' }),
    upstreamPath: Type.Optional(Type.Union([Type.String({ maxLength: 500, pattern: '^/' }), Type.Null()])),
    upstreamAuth: Type.Optional(Type.Union([Type.Literal('sigv4'), Type.Literal('none')])),
    routeName: Type.String({ minLength: 1, maxLength: 150 }),
    routeDescription: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    loadBalancerType: Type.Optional(Type.Union([Type.Literal('round_robin'), Type.Literal('weighted'), Type.Literal('least_connections')])),
    upstreamServers: Type.Optional(Servers),
    healthCheckUrl: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    healthCheckInterval: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    authenticationRequired: Type.Optional(Type.Boolean()),
    authorizationRoles: Type.Optional(Strings),
    authorizationScopes: Type.Optional(Strings),
    rateLimitOverride: Type.Optional(
      Type.Union([
        Type.Object(
          {
            minute: Type.Optional(Type.Integer({ minimum: 0 })),
            hour: Type.Optional(Type.Integer({ minimum: 0 })),
            day: Type.Optional(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
    corsOrigins: Type.Optional(Strings),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 300 })),
    retryAttempts: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
    circuitBreakerEnabled: Type.Optional(Type.Boolean()),
    failureThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    recoveryTimeoutMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
    recoveryTimeout: Type.Optional(
      Type.Integer({ minimum: 1000, maximum: 3_600_000, description: "milliseconds: the original client's name" }),
    ),
    cacheEnabled: Type.Optional(Type.Boolean()),
    cacheTtlSeconds: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 86_400 }), Type.Null()])),
    isActive: Type.Optional(Type.Boolean()),
    isDeprecated: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
