import { isIP } from 'node:net';
import type { AuditRecord } from './audit-record.js';

/** Column widths of api_audit_logs: a longer value would fail the whole insert. */
const WIDTHS: Partial<Record<keyof AuditRecord, number>> = {
  request_id: 128,
  http_method: 10,
  path: 1000,
  user_id: 140,
  api_key_id: 64,
  authentication_method: 20,
  user_agent: 2000,
  referer: 1000,
  service_name: 100,
  upstream_url: 500,
  error_code: 60,
  decision: 40,
  rate_limit_reason: 100,
  cache_status: 10,
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Any surrogate, paired or not: with a NUL check, a cheap test that lets clean text through untouched. */
const SURROGATE = /[\uD800-\uDFFF]/;
const MAX_DEPTH = 4;
const MAX_VALUE = 2000;

/**
 * PostgreSQL text and jsonb cannot hold NUL, and JSON with a lone surrogate does not parse:
 * either fails the insert of every row it travels with. Both become U+FFFD, so the row still
 * shows that something odd was sent and where.
 */
export function cleanText(text: string, max = MAX_VALUE): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  // Nearly every value is plain text: one scan finds that, and the two rewrites are skipped.
  if (!cut.includes('\u0000') && !SURROGATE.test(cut)) return cut;
  return cut.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

function cleanJson(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  if (depth >= MAX_DEPTH) return cleanText(JSON.stringify(value) ?? '');
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => cleanJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, 100)) out[cleanText(key, 200)] = cleanJson(item, depth + 1);
  return out;
}

/** A copy of the record that the audit table accepts whatever the client sent. */
export function sanitizeRecord(record: AuditRecord): AuditRecord {
  const out = { ...record } as Record<string, unknown>;
  for (const [column, width] of Object.entries(WIDTHS)) {
    const value = out[column];
    if (typeof value === 'string') out[column] = cleanText(value, width);
  }
  out.query_params = record.query_params === null ? null : (cleanJson(record.query_params, 0) as Record<string, unknown>);
  return out as AuditRecord;
}

/** The last resort for a row the table still refuses: who, when, what answer; the free text dropped. */
export function reducedRecord(record: AuditRecord): AuditRecord {
  const clean = sanitizeRecord(record);
  return {
    ...clean,
    query_params: null,
    user_agent: null,
    referer: null,
    path: cleanText(record.path, 200),
    client_ip: isIP(String(clean.client_ip)) ? clean.client_ip : '0.0.0.0',
  };
}
