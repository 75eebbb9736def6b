import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { equalSecrets } from '@tributary/platform/core';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { ACCESS } from '../../access.js';
import type { AlertmanagerDeps } from '../../deps.js';
import { SyncError } from '../../errors.js';
import { receiveAlerts, type AlertmanagerMessage } from './alertmanager.service.js';

export const ALERTS_PATH = '/api/sync/alerts';

const Labels = Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 10_000 }));
const Alert = Type.Object({
  status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  labels: Labels,
  annotations: Type.Optional(Labels),
  startsAt: Type.String({ minLength: 1, maxLength: 64 }),
  endsAt: Type.Optional(Type.String({ maxLength: 64 })),
  generatorURL: Type.Optional(Type.String({ maxLength: 4000 })),
  fingerprint: Type.Optional(Type.String({ maxLength: 200 })),
});
/** Alertmanager's webhook_config message, version 4; fields this intake does not read are allowed through. */
const AlertmanagerBody = Type.Object(
  {
    version: Type.Literal('4'),
    receiver: Type.Optional(Type.String({ maxLength: 500 })),
    status: Type.Optional(Type.String({ maxLength: 20 })),
    externalURL: Type.Optional(Type.String({ maxLength: 4000 })),
    groupKey: Type.Optional(Type.String({ maxLength: 10_000 })),
    alerts: Type.Array(Alert, { maxItems: 1000 }),
  },
  { additionalProperties: true },
);

/** Bearer token from ALERTMANAGER_TOKEN, compared in constant time before the body is validated or read. */
function checkToken(deps: AlertmanagerDeps) {
  return async (request: FastifyRequest) => {
    const expected = deps.settings.ALERTMANAGER_TOKEN;
    if (!expected) throw SyncError.SYNC_ALERTS_NOT_CONFIGURED('ALERTMANAGER_TOKEN is not set: no alert is accepted');
    const header = request.headers.authorization;
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!equalSecrets(given, expected)) throw SyncError.SYNC_ALERTS_TOKEN_INVALID('Missing or wrong bearer token');
  };
}

/** Alertmanager's webhook receiver: each alert becomes an `alert.firing` / `alert.resolved` event for the subscribed channels. */
export function registerAlertmanagerRoutes(app: HttpApp, deps: AlertmanagerDeps): void {
  app.post(
    ALERTS_PATH,
    {
      config: { access: ACCESS.alertmanager },
      preValidation: checkToken(deps),
      schema: {
        tags: ['notifications'],
        summary: 'Alertmanager webhook intake (Authorization: Bearer ALERTMANAGER_TOKEN)',
        body: AlertmanagerBody,
        response: {
          200: Type.Object({ received: Type.Integer(), captured: Type.Integer(), deliveries: Type.Integer() }),
          400: errorResponseSchema,
          401: errorResponseSchema,
          404: errorResponseSchema,
          503: errorResponseSchema,
        },
      },
    },
    async (request) => receiveAlerts(deps.capture, request.body as AlertmanagerMessage, deps.clock.now()),
  );
}
