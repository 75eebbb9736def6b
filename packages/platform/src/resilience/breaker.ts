import { AppError } from '../core/errors.js';
import { retryAfterSeconds } from './retry-after.js';
import { SlidingWindow } from './sliding-window.js';

/*
 * Hand-written rather than cockatiel's circuitBreaker(): in cockatiel 3 a call arriving while
 * the half-open probe is in flight waits for the probe and then runs (so every queued caller
 * hits a still-recovering upstream the moment the probe succeeds), and open/half-open timing
 * reads Date.now() directly, so it cannot run on an injected clock. We need "exactly one
 * probe, everyone else refused at once" and a testable clock; the state machine is small.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerStateChange {
  name: string;
  from: BreakerState;
  to: BreakerState;
  /** Why: 'consecutive-failures', 'failure-rate', 'probe', 'probe-succeeded', 'probe-failed', 'probe-released'. */
  reason: string;
  at: number;
}

export interface BreakerOptions {
  /** Opens after this many failures in a row. Default 5. */
  consecutiveFailures?: number;
  /** Opens when failures / calls in the window reach this fraction (0..1]. Default 0.5. */
  failureRateThreshold?: number;
  /** The rate trigger needs at least this many calls in the window. Default 20. */
  minimumRequests?: number;
  /** Length of the failure-rate window, ms. Default 60_000. */
  windowMs?: number;
  /** How long the circuit stays open before one probe is let through, ms. Default 60_000. */
  halfOpenAfterMs?: number;
  now?: () => number;
  /** For metrics and logs; it cannot veto or alter a transition. */
  onStateChange?: (change: BreakerStateChange) => void;
}

/**
 * Permission to make one call. Exactly one of success/failure/release should follow; later
 * calls are ignored, as are reports that arrive after the breaker has moved on (a slow call
 * admitted while closed must not close a circuit that has since opened).
 */
export interface BreakerPermit {
  readonly probe: boolean;
  success(): void;
  failure(): void;
  /** Neither outcome: the caller gave up (e.g. its own cancellation), so it says nothing about the upstream. */
  release(): void;
}

export interface BreakerSnapshot {
  name: string;
  state: BreakerState;
  consecutiveFailures: number;
  windowTotal: number;
  windowFailures: number;
  /** Until the next probe may run, while open. */
  retryAfterMs: number | undefined;
}

/** While a probe is in flight its outcome is unknown; ask callers to come back shortly. */
const PROBE_IN_FLIGHT_RETRY_MS = 1000;

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  /** Bumped on every transition so stale permits can be recognised. */
  private generation = 0;
  private consecutive = 0;
  private openedAt = 0;
  private readonly window: SlidingWindow;
  private readonly now: () => number;
  private readonly consecutiveLimit: number;
  private readonly rateThreshold: number;
  private readonly minimumRequests: number;
  private readonly halfOpenAfterMs: number;

  constructor(
    readonly name: string,
    private readonly options: BreakerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.consecutiveLimit = Math.max(1, options.consecutiveFailures ?? 5);
    this.rateThreshold = options.failureRateThreshold ?? 0.5;
    this.minimumRequests = Math.max(1, options.minimumRequests ?? 20);
    this.halfOpenAfterMs = Math.max(0, options.halfOpenAfterMs ?? 60_000);
    this.window = new SlidingWindow(Math.max(1, options.windowMs ?? 60_000));
  }

  get state(): BreakerState {
    return this.current;
  }

  snapshot(): BreakerSnapshot {
    const { total, failures } = this.window.totals(this.now());
    return {
      name: this.name,
      state: this.current,
      consecutiveFailures: this.consecutive,
      windowTotal: total,
      windowFailures: failures,
      retryAfterMs: this.current === 'closed' ? undefined : this.retryAfterMs(),
    };
  }

  /** Throws AppError('unavailable', 'UPSTREAM_CIRCUIT_OPEN') when the call may not go ahead. */
  acquire(): BreakerPermit {
    if (this.current === 'closed') return this.permit(false);
    if (this.current === 'open' && this.now() - this.openedAt >= this.halfOpenAfterMs) {
      this.transition('half-open', 'probe');
      return this.permit(true);
    }
    throw this.openError();
  }

  /**
   * Runs `fn` under a permit. `isFailure` decides which outcomes count against the upstream;
   * by default every thrown error does and every result does not.
   */
  async execute<T>(
    fn: () => Promise<T>,
    isFailure: (outcome: { ok: true; result: T } | { ok: false; error: unknown }) => boolean = (o) => !o.ok,
  ): Promise<T> {
    const permit = this.acquire();
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (isFailure({ ok: false, error })) permit.failure();
      else permit.success();
      throw error;
    }
    if (isFailure({ ok: true, result })) permit.failure();
    else permit.success();
    return result;
  }

  private permit(probe: boolean): BreakerPermit {
    const generation = this.generation;
    let settled = false;
    const once = (apply: () => void) => () => {
      if (settled) return;
      settled = true;
      if (generation === this.generation) apply();
    };
    return {
      probe,
      success: once(() => (probe ? this.transition('closed', 'probe-succeeded') : this.recordClosed(false))),
      failure: once(() => (probe ? this.open('probe-failed') : this.recordClosed(true))),
      release: once(() => {
        // Keep the old openedAt so the next caller may probe straight away.
        if (probe) this.transition('open', 'probe-released');
      }),
    };
  }

  private recordClosed(failed: boolean): void {
    const now = this.now();
    this.window.record(failed, now);
    if (!failed) {
      this.consecutive = 0;
      return;
    }
    this.consecutive++;
    if (this.consecutive >= this.consecutiveLimit) {
      this.open('consecutive-failures');
      return;
    }
    const { total, failures } = this.window.totals(now);
    if (total >= this.minimumRequests && failures / total >= this.rateThreshold) this.open('failure-rate');
  }

  private open(reason: string): void {
    this.openedAt = this.now();
    this.transition('open', reason);
  }

  private transition(to: BreakerState, reason: string): void {
    const from = this.current;
    this.current = to;
    this.generation++;
    if (to === 'closed') {
      this.consecutive = 0;
      this.window.reset();
    }
    const listener = this.options.onStateChange;
    if (!listener) return;
    try {
      listener({ name: this.name, from, to, reason, at: this.now() });
    } catch (error) {
      // An observer (metrics, logging) must not change what the breaker decided, but its
      // failure should still be visible somewhere.
      process.emitWarning(`circuit breaker "${this.name}" state listener threw: ${String(error)}`);
    }
  }

  private retryAfterMs(): number {
    if (this.current === 'half-open') return PROBE_IN_FLIGHT_RETRY_MS;
    return Math.max(0, this.openedAt + this.halfOpenAfterMs - this.now());
  }

  private openError(): AppError {
    const retryAfterMs = this.retryAfterMs();
    return new AppError('unavailable', 'UPSTREAM_CIRCUIT_OPEN', `Circuit for upstream "${this.name}" is ${this.current}`, {
      details: { upstream: this.name, state: this.current, retryAfterMs },
      headers: { 'Retry-After': retryAfterSeconds(retryAfterMs) },
    });
  }
}

/** One breaker per upstream name, created on first use with the registry's defaults. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly defaults: BreakerOptions = {}) {}

  /** `options` apply only when this call creates the breaker; later calls get the existing one. */
  get(name: string, options: BreakerOptions = {}): CircuitBreaker {
    let breaker = this.breakers.get(name);
    if (!breaker) {
      breaker = new CircuitBreaker(name, { ...this.defaults, ...options });
      this.breakers.set(name, breaker);
    }
    return breaker;
  }

  has(name: string): boolean {
    return this.breakers.has(name);
  }

  snapshot(): BreakerSnapshot[] {
    return [...this.breakers.values()].map((breaker) => breaker.snapshot());
  }
}
