import { createServer } from 'node:net';
import { Type } from '@sinclair/typebox';
import type { Logger } from '../core/logger.js';
import type { AnyDatabase } from '../db/create.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { databaseAddress } from '../db/url.js';

/**
 * Exit codes of a process that could not start (docs/operations.md, "Exit codes"). They follow
 * sysexits.h where a meaning fits, so an orchestrator can tell "fix the config" from "wait".
 */
export const EXIT_CODES = {
  /** EX_UNAVAILABLE: a database did not answer within DATABASE_WAIT_SECONDS. */
  databaseUnreachable: 69,
  /** EX_OSERR: the operating system refused the listening socket (port taken, no permission). */
  cannotListen: 71,
  /** EX_CONFIG: a missing or malformed variable. */
  config: 78,
} as const;

export type StartupErrorCode = 'PORT_IN_USE' | 'PORT_REFUSED' | 'DATABASE_UNREACHABLE';

/** A reason not to start that the operator fixes outside the process: printed as one line, no stack. */
export class StartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

const LISTEN_REASONS: Record<string, string> = {
  EADDRINUSE: 'address in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
};

export interface ListenTarget {
  service: string;
  host: string;
  port: number;
  /** The variable(s) that chose the port, named in the error so the operator knows what to change. */
  variable: string;
}

/**
 * Binds and releases the service's address before anything else happens, so a taken port stops
 * the start before migrations touch the database. Port 0 (any free port) cannot clash.
 */
export async function assertCanListen(target: ListenTarget): Promise<void> {
  if (target.port === 0) return;
  const failure = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen({ host: target.host, port: target.port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
  if (!failure) return;
  const reason = LISTEN_REASONS[failure.code ?? ''] ?? failure.message;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  throw new StartupError(
    failure.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'PORT_REFUSED',
    `${target.service} cannot listen on ${host}:${target.port} (${target.variable}): ${reason}`,
    EXIT_CODES.cannotListen,
  );
}

export const DatabaseWaitConfig = Type.Object({
  DATABASE_WAIT_SECONDS: Type.Integer({ minimum: 0, default: 60, description: 'how long to retry an unreachable database; 0 = once' }),
});

/**
 * Embedded databases in threads of their own (the default) start side by side on a machine with
 * a core to spare; in the main thread they cost less memory and CPU time (no second V8 heap and
 * PGlite's JavaScript per thread), which a busy or single-core machine may prefer.
 */
export const EmbeddedDatabaseConfig = Type.Object({
  TRIBUTARY_PGLITE_THREADS: Type.Boolean({ default: false, description: 'each embedded database in a worker thread of its own' }),
});

export interface DatabaseWait {
  service: string;
  /** The URL as configured: its host and port name the server in messages. */
  url: string;
  /** The variable the URL came from. */
  variable: string;
  /** How long to keep trying; 0 tries once. */
  seconds: number;
  logger: Logger;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;
const ATTEMPT_MIN_MS = 2_000;
const ATTEMPT_MAX_MS = 10_000;

/**
 * Waits until the database answers, retrying with exponential backoff: in a cluster the service
 * often starts before its database. A refusal that waiting cannot cure (a wrong password, an
 * unknown database) is thrown at once.
 */
export async function waitForDatabase(database: AnyDatabase, wait: DatabaseWait): Promise<void> {
  if (database.dialect === 'pglite') return;
  const deadline = Date.now() + wait.seconds * 1000;
  const at = databaseAddress(wait.url);
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    const outcome = await pingWithin(database, Math.max(Math.min(deadline - Date.now(), ATTEMPT_MAX_MS), ATTEMPT_MIN_MS));
    if (outcome === 'ok') return;
    if (outcome !== 'timeout' && !isDatabaseUnavailable(outcome)) throw outcome;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new StartupError(
        'DATABASE_UNREACHABLE',
        `${wait.service} database at ${at} (${wait.variable}) did not answer within ${wait.seconds} s`,
        EXIT_CODES.databaseUnreachable,
      );
    }
    const sleep = Math.min(delay, left);
    // The reason, not the error: a stack trace per retry buries the one line that matters.
    wait.logger.warn(
      { database: at, variable: wait.variable, attempt, retryInMs: sleep, reason: describe(outcome) },
      `${wait.service} database did not answer; retrying`,
    );
    await new Promise((resolve) => setTimeout(resolve, sleep));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/** A connect to a host that drops packets can hang for minutes: each attempt is bounded. */
async function pingWithin(database: AnyDatabase, ms: number): Promise<'ok' | 'timeout' | Error> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([database.ping().then(() => 'ok' as const), timeout]);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

function describe(outcome: 'timeout' | Error): string {
  if (outcome === 'timeout') return 'no answer';
  const code = (outcome as NodeJS.ErrnoException).code;
  return code ? `${code}: ${outcome.message}` : outcome.message;
}

/**
 * What a process entry does with a failed start: a StartupError is one line on stderr and its
 * exit code; anything else is rethrown for the caller's handling.
 */
export function exitOnStartupError(error: unknown, prefix = ''): void {
  if (!(error instanceof StartupError)) throw error;
  process.stderr.write(`${prefix}${error.message}\n`);
  process.exit(error.exitCode);
}
