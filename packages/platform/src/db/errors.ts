/**
 * Database errors differ per driver (pg/PGlite SQLSTATE codes, mysql2 errno). Repositories
 * classify them here once and turn the kinds that mean "a rule refused this" into AppErrors.
 */
export type DbErrorKind = 'unique' | 'foreign_key' | 'check' | 'not_null' | 'serialization' | 'deadlock' | 'lock_timeout';

const PG_CODES: Record<string, DbErrorKind> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
  '40001': 'serialization',
  '40P01': 'deadlock',
  '55P03': 'lock_timeout',
};

const MYSQL_ERRNOS: Record<number, DbErrorKind> = {
  1062: 'unique',
  1451: 'foreign_key',
  1452: 'foreign_key',
  3819: 'check', // MySQL
  4025: 'check', // MariaDB CONSTRAINT_FAILED
  1048: 'not_null',
  1364: 'not_null',
  1213: 'deadlock',
  1205: 'lock_timeout',
};

interface DriverError {
  code?: unknown;
  errno?: unknown;
  constraint?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
}

export function dbErrorKind(error: unknown): DbErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as DriverError;
  if (typeof e.errno === 'number' && MYSQL_ERRNOS[e.errno]) return MYSQL_ERRNOS[e.errno];
  if (typeof e.code === 'string' && PG_CODES[e.code]) return PG_CODES[e.code];
  return undefined;
}

/** The violated constraint's name when the driver tells it (pg/PGlite field, or parsed from MySQL's message). */
export function dbConstraintName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as DriverError;
  if (typeof e.constraint === 'string') return e.constraint;
  const message = typeof e.sqlMessage === 'string' ? e.sqlMessage : typeof e.message === 'string' ? e.message : '';
  const mysqlKey = /for key '(?:[^'.]+\.)?([^']+)'/.exec(message) ?? /constraint [`'"]?([\w]+)[`'"]?/i.exec(message);
  return mysqlKey?.[1];
}

/** Transient failures a whole transaction may be retried for. */
export function isRetryableTransactionError(error: unknown): boolean {
  const kind = dbErrorKind(error);
  return kind === 'serialization' || kind === 'deadlock';
}

/*
 * "The database cannot be reached" is not a rule refusing a change but the service's
 * dependency being down: the edge answers it with 503 DATABASE_UNAVAILABLE (retryable,
 * and what a breaker in front of the service counts), never a 500.
 */
const PG_UNAVAILABLE_CLASSES = ['08']; // connection_exception
const PG_UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400']); // shutdown, cannot connect now, too many connections
const MYSQL_UNAVAILABLE_ERRNOS = new Set([1040, 1053, 2002, 2003, 2006, 2013]);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
]);
/** Driver messages with no code: pg's pool and client, Kysely after destroy(), PGlite after close(). */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error/,
  /driver has already been destroyed/,
  /PGlite is closed/,
  /Pool is closed/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as DriverError;
  if (typeof e.code === 'string') {
    if (SOCKET_CODES.has(e.code) || PG_UNAVAILABLE_CODES.has(e.code)) return true;
    if (/^[0-9A-Z]{5}$/.test(e.code) && PG_UNAVAILABLE_CLASSES.includes(e.code.slice(0, 2))) return true;
  }
  if (typeof e.errno === 'number' && MYSQL_UNAVAILABLE_ERRNOS.has(e.errno)) return true;
  return typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(e.message as string));
}

/*
 * A value the database refused as data (text where an integer column is compared, a number out
 * of the column's range, an over-long string): request input a route's schema let through. It
 * is answered 400 INPUT_NOT_STORABLE at the edge, a safety net behind the schemas (ADR 0006),
 * never a 500 that a breaker or an alert would mistake for the service failing.
 */
const PG_BAD_VALUE_CODES = new Set(['22P02', '22003', '22001', '22021', '22P05', '22007', '22008', '22023', '2200D', '22025']);
const MYSQL_BAD_VALUE_ERRNOS = new Set([1264, 1292, 1366, 1406, 1411]);

export function isRefusedValue(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as DriverError;
  if (typeof e.errno === 'number' && MYSQL_BAD_VALUE_ERRNOS.has(e.errno)) return true;
  return typeof e.code === 'string' && PG_BAD_VALUE_CODES.has(e.code);
}
