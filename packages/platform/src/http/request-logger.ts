import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level } from 'pino';
import type { Logger } from '../core/logger.js';

const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * The one line every answered request writes has a fixed shape the kernel builds itself (ids,
 * method, route pattern, status, time, error code): no field of it can hold a credential, so it
 * goes through a child of the service logger without redaction, which walked every line for
 * wildcard paths. Everything else a request logs (errors included) stays redacted.
 */
const lineLoggers = new WeakMap<Logger, Logger>();

function unredacted(parent: Logger): Logger {
  let logger = lineLoggers.get(parent);
  if (logger === undefined) {
    logger = parent.child({}, { redact: [] });
    lineLoggers.set(parent, logger);
  }
  return logger;
}

/**
 * A request's logger that becomes a pino child only when something logs through it. Most
 * requests log nothing but their completion line, and a child per request (bindings
 * serialised, an object to collect) cost about a tenth of the kernel's throughput; that line
 * carries the same bindings, written through `completed`.
 */
class LazyRequestLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly own: Bindings,
  ) {}

  /** The pino child, made on first use. */
  get logger(): Logger {
    this.made ??= this.parent.child(this.own);
    return this.made;
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.made ?? this.parent).isLevelEnabled(level);
  }

  bindings(): Bindings {
    return this.made?.bindings() ?? { ...this.parent.bindings(), ...this.own };
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger.child(bindings, options);
  }

  silent(): void {}

  /** The completion line, with the request's bindings, at `level`. */
  completed(level: 'debug' | 'info', line: object, message: string): void {
    if (this.made !== undefined) return this.made[level](line, message);
    if (!this.parent.isLevelEnabled(level)) return;
    unredacted(this.parent)[level]({ ...this.own, ...line }, message);
  }
}

// The level methods pass straight through once the level is enabled; pino's own overloads apply.
for (const level of LEVELS) {
  Object.defineProperty(LazyRequestLogger.prototype, level, {
    value(this: LazyRequestLogger, ...args: unknown[]) {
      if (!this.isLevelEnabled(level)) return;
      (this.logger[level] as (...logged: unknown[]) => void)(...args);
    },
  });
}

/**
 * The request's logger: lazy when Fastify asks for no child options (a route's own log level
 * or serialisers need a real child at once, so its completion line obeys them).
 */
export function requestLogger(parent: Logger, bindings: Bindings, options: ChildLoggerOptions | undefined): FastifyBaseLogger {
  if (options !== undefined && Object.keys(options).length > 0) return parent.child(bindings, options);
  return new LazyRequestLogger(parent, bindings) as unknown as FastifyBaseLogger;
}

/** Writes the completion line through the request's logger, unredacted when it is a lazy one. */
export function logCompletion(logger: FastifyBaseLogger, level: 'debug' | 'info', line: object, message: string): void {
  if (logger instanceof LazyRequestLogger) logger.completed(level, line, message);
  else logger[level](line, message);
}
