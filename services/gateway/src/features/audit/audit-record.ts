import type { Insertable } from 'kysely';
import type { ApiAuditLogsTable } from '../../db/schema.js';

/** One request's audit row as the hooks build it, before sanitising and batching. */
export type AuditRecord = Omit<Insertable<ApiAuditLogsTable>, 'query_params' | 'id'> & { query_params: Record<string, unknown> | null };
