import { randomBytes } from 'node:crypto';
import { isAppError } from '@tributary/platform/core';
import { sql, type Transaction } from '@tributary/platform/db';
import {
  eraseSubject,
  exportSubject,
  PRIVACY_ERASE_PATH,
  PRIVACY_EXPORT_PATH,
  type SubjectErasure,
  type SubjectExport,
} from '@tributary/platform/privacy';
import type { ServiceClient } from '@tributary/platform/resilience';
import type { GatewayDatabase } from '../../db/schema.js';
import type { PrivacyDeps } from '../../deps.js';
import { personalData } from './privacy.declaration.js';

/** A service that could not answer, by its stable code (never its message: it might echo a value). */
export interface ServiceFailure {
  service: string;
  code: string;
  status?: number;
}

export interface PersonExport {
  subject: string;
  identifiers: string[];
  services: Record<string, SubjectExport>;
  failures: ServiceFailure[];
}

export interface PersonErasure {
  subject: string;
  pseudonym: string;
  complete: boolean;
  /** Rows changed per service and table; never the values. */
  counts: Record<string, Record<string, number>>;
  failures: ServiceFailure[];
}

/** Who asked, for the erasure's own audit row. */
export interface Requester {
  userId: string;
  method: string;
  ip: string;
  requestId: string;
}

/**
 * The identifiers the services may hold for a person: a gateway user's id, user name and
 * e-mail (the services name users by id; orders also by user name), or the subject as given
 * (an erp customer id, a user already erased here).
 */
export async function identifiersOf(deps: PrivacyDeps, subject: string): Promise<string[]> {
  // Through the repository: the e-mail is encrypted at rest and found by its blind index.
  const user = (await deps.users.findById(subject)) ?? (await deps.users.findByLogin(subject));
  return [...new Set([subject, ...(user ? [user.user_id, user.username, user.email] : [])])];
}

/** The gateway's own rows as the person would read them: encrypted fields opened, index hidden. */
async function readable(deps: PrivacyDeps, exported: SubjectExport): Promise<SubjectExport> {
  const tables = await Promise.all(
    exported.tables.map(async (entry) => {
      if (entry.table !== 'api_users') return entry;
      const rows = await Promise.all(
        entry.rows.map(async (row) => {
          const user = typeof row.user_id === 'string' ? await deps.users.findById(row.user_id) : undefined;
          const { email_bidx: _index, ...rest } = row;
          return user ? { ...rest, email: user.email, full_name: user.full_name } : rest;
        }),
      );
      return { ...entry, rows };
    }),
  );
  return { ...exported, tables };
}

const failureOf = (service: string, error: unknown): ServiceFailure => ({
  service,
  code: isAppError(error) ? error.code : 'UPSTREAM_UNAVAILABLE',
  ...(isAppError(error) ? { status: error.status } : {}),
});

export async function exportPerson(
  deps: PrivacyDeps,
  clients: readonly ServiceClient[],
  subject: string,
  requestId: string,
): Promise<PersonExport> {
  const identifiers = await identifiersOf(deps, subject);
  const db = deps.database;
  const own = await readable(deps, await exportSubject(db.db, db.dialect, personalData, identifiers));
  const result: PersonExport = { subject, identifiers, services: { gateway: own }, failures: [] };
  await Promise.all(
    clients.map(async (client) => {
      try {
        result.services[client.name] = await client.json<SubjectExport>({
          method: 'GET',
          path: PRIVACY_EXPORT_PATH,
          query: { subject: identifiers },
          requestId,
        });
      } catch (error) {
        result.failures.push(failureOf(client.name, error));
      }
    }),
  );
  return result;
}

/**
 * Every service first, the gateway last: until all services have erased, the gateway still
 * knows the user's name and e-mail, so a retry (erasure is idempotent) reaches the same rows.
 * The gateway's erasure and the audit row recording it commit together; an incomplete run is
 * audited too. Neither the audit row nor the answer holds an erased value.
 */
export async function erasePerson(
  deps: PrivacyDeps,
  clients: readonly ServiceClient[],
  subject: string,
  reason: string,
  by: Requester,
): Promise<PersonErasure> {
  const identifiers = await identifiersOf(deps, subject);
  const pseudonym = `erased-${randomBytes(10).toString('hex')}`;
  const result: PersonErasure = { subject, pseudonym, complete: false, counts: {}, failures: [] };
  await Promise.all(
    clients.map(async (client) => {
      try {
        const erased = await client.json<SubjectErasure>({
          method: 'POST',
          path: PRIVACY_ERASE_PATH,
          body: { subjects: identifiers, pseudonym },
          idempotencyKey: `privacy-erase:${by.requestId}`,
          requestId: by.requestId,
        });
        result.counts[client.name] = erased.counts;
      } catch (error) {
        result.failures.push(failureOf(client.name, error));
      }
    }),
  );
  result.complete = result.failures.length === 0;
  const db = deps.database;
  // Audit rows of the person's own recent requests may still sit in the batched writer: write
  // them first, so the erasure below reaches them too.
  for (let round = 0; result.complete && round < 10 && deps.audit.pending > 0; round++) await deps.audit.flush();
  if (result.complete) await deps.tracker.flush();
  await deps.db.transaction().execute(async (trx) => {
    if (result.complete) {
      result.counts.gateway = (await eraseSubject(trx, db.dialect, personalData, identifiers, pseudonym)).counts;
      // The account can never be used again, and its encrypted e-mail and name become the pseudonym.
      await deps.users.forget(pseudonym, pseudonym, trx);
    }
    await auditErasure(trx, result, reason, by, new Date(deps.clock.now()));
  });
  // Tokens already issued were checked and cached as valid: a new version makes every replica ask again.
  if (result.complete) await deps.versions.bump('auth');
  return result;
}

/** The erasure's own audit row, written at once and in the erasure's transaction (never through the batched writer). */
async function auditErasure(
  trx: Transaction<GatewayDatabase>,
  result: PersonErasure,
  reason: string,
  by: Requester,
  now: Date,
): Promise<void> {
  const record = {
    privacy: 'erasure',
    subject: result.subject,
    pseudonym: result.pseudonym,
    reason,
    complete: result.complete,
    counts: result.counts,
    failures: result.failures,
  };
  await sql`insert into api_audit_logs (request_id, http_method, path, query_params, user_id, authentication_method, client_ip, service_name,
      status_code, response_time_ms, error_code, decision, request_timestamp, response_timestamp, rate_limited)
    values (${by.requestId}, 'POST', ${'/privacy/erasure'}, ${JSON.stringify(record)}, ${by.userId}, ${by.method}, ${by.ip}, ${'gateway'},
      ${result.complete ? 200 : 503}, 0, ${result.complete ? null : 'PRIVACY_ERASURE_INCOMPLETE'}, ${'privacy_erasure'}, ${now}, ${now}, false)`.execute(
    trx,
  );
}
