import { Type } from '@sinclair/typebox';
import { routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { PRINTABLE, startRetention, SubjectId } from '@tributary/platform/privacy';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import { GatewayError } from '../../errors.js';
import type { PrivacyDeps } from '../../deps.js';
import { adminOf, gatewayAccess } from '../../access.js';
import { errors } from '../admin/admin.schemas.js';
import { erasePerson, exportPerson } from './privacy.service.js';
import { applyGatewayRetention, retentionSettings } from './privacy.retention.js';

/** The services holding personal data, asked in this order (each in parallel). */
export const PRIVACY_SERVICES = ['orders', 'processing', 'erp', 'sync'] as const;
export { PRIVACY_ROLE } from '../../access.js';

const tags = ['admin', 'privacy'];
const Subject = Type.Object({ subject: SubjectId });
const Failure = Type.Object({ service: Type.String(), code: Type.String(), status: Type.Optional(Type.Integer()) });
const ExportOut = Type.Object({
  subject: Type.String(),
  identifiers: Type.Array(Type.String()),
  services: Type.Record(Type.String(), Type.Unknown()),
  failures: Type.Array(Failure),
});
const EraseOut = Type.Object({
  subject: Type.String(),
  pseudonym: Type.String(),
  complete: Type.Boolean(),
  counts: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())),
  failures: Type.Array(Failure),
});

/**
 * `GET /api/v1/admin/privacy/subjects/:subject/export` and `POST …/erase`: the gateway asks
 * every service's signed `/internal/privacy/*` with its own key, and answers one document.
 * Also runs the retention of personal data in the audit log (ADR 0015).
 */
export function registerPrivacy(app: HttpApp, deps: PrivacyDeps): void {
  const clients: ServiceClient[] = PRIVACY_SERVICES.filter((name) => deps.peers[name]).map((name) =>
    createServiceClient({ name, baseUrl: deps.peers[name]!, credentials: deps.credentials, scope: deps.scope, timeoutMs: 30_000 }),
  );
  const settings = retentionSettings(deps.env);
  const retention = startRetention(() => applyGatewayRetention(deps.db, deps.clock.now(), settings), settings.intervalMs, deps.logger);
  app.addHook('onClose', async () => {
    await retention.stop();
    await Promise.all(clients.map((client) => client.close()));
  });

  const access = gatewayAccess(deps);
  const route = routeOptionsFor(tags);

  app.get(
    '/api/v1/admin/privacy/subjects/:subject/export',
    route(
      access.privacyAdmin,
      'Everything every service holds about a person (user id, user name, e-mail or customer id), as one document',
      { params: Subject, response: { 200: ExportOut, ...errors } },
    ),
    async (request) => {
      return exportPerson(deps, clients, request.params.subject, String(request.id));
    },
  );

  app.post(
    '/api/v1/admin/privacy/subjects/:subject/erase',
    route(
      access.privacyAdmin,
      'Remove a person from every service (business records stay, pseudonymised); idempotent; audited with counts only',
      {
        description:
          'A service that cannot be reached leaves the erasure incomplete: 503 PRIVACY_ERASURE_INCOMPLETE with details; retrying is safe.',
        params: Subject,
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500, pattern: PRINTABLE }) }, { additionalProperties: false }),
        response: { 200: EraseOut, ...errors },
      },
    ),
    async (request) => {
      const userId = adminOf(request).userId;
      const result = await erasePerson(deps, clients, request.params.subject, request.body.reason, {
        userId,
        method: request.edge.consumer.method,
        ip: request.ip,
        requestId: String(request.id),
      });
      if (!result.complete) {
        throw GatewayError.PRIVACY_ERASURE_INCOMPLETE(
          'Some services could not erase the person; the gateway kept its records so a retry reaches them',
          {
            details: { pseudonym: result.pseudonym, counts: result.counts, failures: result.failures },
          },
        );
      }
      return result;
    },
  );
}
