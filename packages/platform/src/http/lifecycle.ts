import { Server as TlsServer } from 'node:tls';
import type { FastifyBaseLogger, FastifyTypeProvider } from 'fastify';
import type { Logger } from '../core/logger.js';
import { markDraining } from './draining.js';
import { handlersSettled } from './in-flight.js';
import type { SomeFastify } from './types.js';

/** Listens and returns the address (`http://127.0.0.1:41234`, https with TLS); port 0 picks a free port. */
export async function startHttpServer<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: SomeFastify<L, P>,
  options: { host: string; port: number },
): Promise<string> {
  const address = await app.listen({ host: options.host, port: options.port });
  // The server is built by createHttpApp, so Fastify does not know it speaks TLS.
  return app.server instanceof TlsServer ? address.replace(/^http:/, 'https:') : address;
}

export interface DrainOptions {
  /**
   * Runs after readiness turned 503 and before the server stops accepting: the time load
   * balancers need to notice and stop routing here (a Kubernetes endpoint update takes seconds).
   */
  beforeClose?: () => Promise<void>;
}

/**
 * Takes the app out of service: readiness answers 503, then `app.close()` stops accepting and
 * waits for open connections (and runs the app's onClose hooks), then this waits for every
 * route handler still running, including those whose client hung up. Only then may the
 * caller release what handlers use (background loops, then the database).
 */
export async function drainHttpApp<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: SomeFastify<L, P>,
  options: DrainOptions = {},
): Promise<void> {
  markDraining(app);
  await options.beforeClose?.();
  await app.close();
  await handlersSettled(app);
}

export interface ShutdownOptions {
  logger: Logger;
  /** Budget for draining and onShutdown together; past it the process exits anyway. Default 10 s. */
  timeoutMs?: number;
  /** Time between turning unready and closing, for load balancers to catch up. Default 0. */
  graceMs?: number;
  /** Releases what the app does not own (database pools, consumers), after the server closed. */
  onShutdown?: () => Promise<void>;
  /** Replaces process.exit, for tests. */
  exit?: (code: number) => void;
}

export interface ShutdownHandle {
  /** What a signal does; callable directly. Resolves once this shutdown has run its course. */
  shutdown(reason: string): Promise<void>;
  /** Removes the signal listeners. */
  uninstall(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * SIGINT/SIGTERM drain the app, run onShutdown and exit 0 (1 if anything failed). A second
 * signal, or the timeout, exits at once: an operator pressing Ctrl-C twice means it.
 * Kept out of createHttpApp because a process (and a test run) may build many apps but has
 * one set of signals.
 */
export function installShutdown<L extends FastifyBaseLogger, P extends FastifyTypeProvider>(
  app: SomeFastify<L, P>,
  options: ShutdownOptions,
): ShutdownHandle {
  const { logger, timeoutMs = 10_000, graceMs = 0, onShutdown } = options;
  const exitProcess = options.exit ?? ((code: number) => process.exit(code));
  let started = false;
  let exited = false;
  // The deadline and a finishing drain can race; the first verdict stands.
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    exitProcess(code);
  };

  async function shutdown(reason: string): Promise<void> {
    if (started) {
      logger.warn({ reason }, 'second shutdown request, exiting now');
      exit(1);
      return;
    }
    started = true;
    logger.info({ reason, timeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out, exiting');
      exit(1);
    }, timeoutMs);
    deadline.unref();
    try {
      await drainHttpApp(app, graceMs > 0 ? { beforeClose: () => new Promise((resolve) => setTimeout(resolve, graceMs)) } : {});
      await onShutdown?.();
      logger.info('shutdown complete');
      exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      exit(1);
    } finally {
      clearTimeout(deadline);
    }
  }

  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    shutdown,
    uninstall: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}
