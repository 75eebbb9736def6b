import type { FastifySchemaCompiler } from 'fastify';

type Validate = ReturnType<FastifySchemaCompiler<unknown>>;
type Compile = () => Validate;

/** Validators compiled per slice of warm-up before yielding to requests waiting in the event loop. */
const WARM_SLICE = 8;

/**
 * Route validators compiled when first needed instead of while the app loads. Compiling every
 * route's schemas with Ajv was about a seventh of `up`'s start-up, all before the first request
 * could be served. A validator compiles on its first call, or during the warm-up that starts a
 * while after the server listens and compiles the rest a slice at a time between requests. Either
 * way a request is validated by exactly the validator eager compilation would have built.
 */
export class LazyValidators {
  private pending = new Set<() => void>();
  private warming: Promise<void> | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  wrap(compile: Compile): Validate {
    let compiled: Validate | undefined;
    const ensure = (): Validate => {
      if (!compiled) {
        compiled = compile();
        this.pending.delete(ensure);
      }
      return compiled;
    };
    this.pending.add(ensure);
    const validate = ((data: unknown) => {
      const impl = ensure();
      const result = impl(data);
      validate.errors = impl.errors;
      return result;
    }) as Validate & { errors?: unknown };
    return validate;
  }

  /** Validators not compiled yet. */
  get remaining(): number {
    return this.pending.size;
  }

  /**
   * Compiles every remaining validator, a slice per turn of the event loop. A schema that does
   * not compile is reported to `onError` and left to fail its route's requests, as it would have
   * failed the app's start before.
   */
  warm(onError: (error: unknown) => void): Promise<void> {
    this.warming ??= (async () => {
      while (this.pending.size > 0 && !this.stopped) {
        let slice = 0;
        for (const ensure of this.pending) {
          try {
            ensure();
          } catch (error) {
            this.pending.delete(ensure);
            onError(error);
          }
          if (++slice === WARM_SLICE) break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    return this.warming;
  }

  /**
   * Warms after `delayMs`: `up` starts five services in one process, and warming the first
   * one's validators while the others still load only made every service ready later.
   */
  warmLater(delayMs: number, onError: (error: unknown) => void): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => void this.warm(onError), delayMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
