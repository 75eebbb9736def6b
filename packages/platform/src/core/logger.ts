import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import PinoPretty from 'pino-pretty';

export type { Logger };

/** Paths that must never reach a log line, whatever logs them. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-amz-security-token"]',
  'headers.authorization',
  'authorization',
];

export interface LoggerConfig {
  level?: string;
  name?: string;
  /** Default: LOG_FORMAT (`pretty` or `json`), else pretty on a terminal and JSON otherwise. */
  pretty?: boolean;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
}

/**
 * A person at a terminal reads lines, a log shipper parses JSON: the terminal decides unless
 * LOG_FORMAT says otherwise (a container with a TTY still wants JSON).
 */
export function prettyLogs(env: Record<string, string | undefined> = process.env, isTTY = process.stdout.isTTY === true): boolean {
  if (env.LOG_FORMAT === 'pretty') return true;
  if (env.LOG_FORMAT === 'json') return false;
  return isTTY;
}

function prettyStream(): DestinationStream {
  // Synchronous, in this thread: a worker-thread transport would lose the last lines on exit.
  return PinoPretty({
    colorize: true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'service',
    messageFormat: '{if service}{service}: {end}{msg}',
  });
}

export function createLogger(config: LoggerConfig = {}): Logger {
  const options: LoggerOptions = {
    level: config.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: {},
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const destination = config.destination ?? ((config.pretty ?? prettyLogs()) ? prettyStream() : undefined);
  const logger = destination ? pino(options, destination) : pino(options);
  // A child binding (not pino's `base`) so code holding the logger can see the name in bindings().
  return config.name ? logger.child({ service: config.name }) : logger;
}

/** A logger that discards everything, for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
