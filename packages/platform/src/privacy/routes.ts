import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { nameSet } from '../core/config.js';
import { forbidden, unauthenticated } from '../core/errors.js';
import type { AnyDatabase } from '../db/create.js';
import { asDynamic } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { bothAccess, guardedAccess, type AccessRule } from '../http/access.js';
import { errorResponseSchema } from '../http/error-response.js';
import type { HttpApp } from '../http/types.js';
import type { PersonalDataDeclaration } from './declaration.js';
import { eraseSubject, exportSubject } from './subject.js';

export const PRIVACY_EXPORT_PATH = '/internal/privacy/export';
export const PRIVACY_ERASE_PATH = '/internal/privacy/erase';
/** The signing principals that may export and erase by default: the gateway orchestrates both. */
export const DEFAULT_PRIVACY_CALLERS: ReadonlySet<string> = new Set(['gateway']);
export const PRIVACY_CALLER_FORBIDDEN = 'PRIVACY_CALLER_FORBIDDEN';

/** An identifier of a person as the services store it: a user id, a user name, an e-mail, a customer id. */
/** Printable text with something other than spaces: no control character ever reaches a query. */
export const PRINTABLE = '^(?=.*\\S)[^\\u0000-\\u001f\\u007f]+$';
export const SubjectId = Type.String({ minLength: 1, maxLength: 200, pattern: PRINTABLE });
export const Subjects = Type.Array(SubjectId, { minItems: 1, maxItems: 20 });
/** The replacement every service writes for one erasure (chosen by the gateway, random, never derived from the person). */
export const Pseudonym = Type.String({ pattern: '^erased-[a-z0-9]{8,40}$' });

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };
const ExportOut = Type.Object({
  service: Type.String(),
  tables: Type.Array(Type.Object({ table: Type.String(), relation: Type.String(), rows: Type.Array(Type.Unknown()) })),
});
const EraseOut = Type.Object({ service: Type.String(), counts: Type.Record(Type.String(), Type.Integer()) });

export interface PrivacyRouteOptions {
  database: AnyDatabase;
  declaration: PersonalDataDeclaration;
  /** Signing principals allowed to call (default: the gateway). A user's roles never grant it. */
  callers?: ReadonlySet<string>;
  /** A service's own rule, checked as well (both must admit): erp's role guard. */
  access?: AccessRule;
}

/**
 * The two signed internal endpoints every service with personal data exposes. Access is by
 * the caller's signing principal, decided at the route before the query is read: a request
 * relayed for a user (any roles) by another principal is refused.
 */
export function registerPrivacyRoutes(app: HttpApp, options: PrivacyRouteOptions): void {
  const callers = options.callers ?? DEFAULT_PRIVACY_CALLERS;
  const { database, declaration } = options;
  // Roles stay empty: the rule is about the signing principal, which no role grants.
  const ownAccess = guardedAccess([], async (request: FastifyRequest) => {
    const identity = request.identity;
    if (!identity) throw unauthenticated('AUTH_REQUIRED', 'This route needs a signed request');
    if (!callers.has(identity.principal))
      throw forbidden(PRIVACY_CALLER_FORBIDDEN, `${identity.principal} may not export or erase personal data`);
    // The gateway also signs what it proxies for users. Its privacy orchestrator calls with no
    // user and no forwarding headers; anything relayed for a client is refused, whatever a
    // route table lets through.
    if (
      identity.user !== undefined ||
      identity.roles.length > 0 ||
      identity.apiKeyId !== undefined ||
      request.headers['x-forwarded-for'] !== undefined
    ) {
      throw forbidden(PRIVACY_CALLER_FORBIDDEN, 'Personal data export and erasure are not callable on behalf of a client');
    }
  });
  const access = options.access ? bothAccess(options.access, ownAccess) : ownAccess;

  app.get(
    PRIVACY_EXPORT_PATH,
    {
      config: { access },
      schema: {
        tags: ['internal'],
        summary: "Every row of this service holding a person's data, found by any of their identifiers",
        querystring: Type.Object({ subject: Type.Union([SubjectId, Subjects]) }, { additionalProperties: false }),
        response: { 200: ExportOut, ...errors },
      },
    },
    async (request) => {
      const subject = request.query.subject;
      return exportSubject(database.db, database.dialect, declaration, Array.isArray(subject) ? subject : [subject]);
    },
  );

  app.post(
    PRIVACY_ERASE_PATH,
    {
      config: { access },
      schema: {
        tags: ['internal'],
        summary: "Remove a person from this service's data (one transaction; idempotent); answers rows changed per table",
        body: Type.Object({ subjects: Subjects, pseudonym: Pseudonym }, { additionalProperties: false }),
        response: { 200: EraseOut, ...errors },
      },
    },
    async (request) =>
      inTransaction(asDynamic(database.db), (trx) =>
        eraseSubject(trx, database.dialect, declaration, request.body.subjects, request.body.pseudonym),
      ),
  );
}

/** `PRIVACY_CALLERS` (comma-separated signing principals), default `gateway`. */
export function privacyCallers(env: Record<string, string | undefined>): ReadonlySet<string> {
  const names = nameSet(env.PRIVACY_CALLERS ?? '');
  return names.size > 0 ? names : DEFAULT_PRIVACY_CALLERS;
}
