import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { BreakerRegistry, CircuitBreaker, type BreakerOptions, type BreakerStateChange } from './breaker.js';

const fail = async (): Promise<never> => {
  throw new Error('upstream down');
};
const ok = async () => 'ok';

function setup(options: BreakerOptions = {}) {
  const clock = new ManualClock();
  const changes: BreakerStateChange[] = [];
  const breaker = new CircuitBreaker('erp', { now: () => clock.now(), onStateChange: (c) => changes.push(c), ...options });
  return { clock, changes, breaker };
}

async function failTimes(breaker: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.execute(fail).catch(() => undefined);
}

describe('CircuitBreaker', () => {
  it('opens after 5 consecutive failures by default', async () => {
    const { breaker, changes } = setup();
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual([expect.objectContaining({ name: 'erp', from: 'closed', to: 'open', reason: 'consecutive-failures' })]);
  });

  it('a success resets the consecutive count', async () => {
    const { breaker } = setup({ minimumRequests: 1000 });
    await failTimes(breaker, 4);
    await breaker.execute(ok);
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
  });

  it('opens when the failure rate over the window reaches the threshold', async () => {
    const { breaker, changes } = setup({ failureRateThreshold: 0.5, minimumRequests: 10, consecutiveFailures: 100 });
    for (let i = 0; i < 4; i++) {
      await breaker.execute(ok);
      await failTimes(breaker, 1);
    }
    expect(breaker.state).toBe('closed'); // 4 of 8: below the minimum request count
    await breaker.execute(ok);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(changes.at(-1)?.reason).toBe('failure-rate');
  });

  it('forgets failures that slid out of the window', async () => {
    const { breaker, clock } = setup({ failureRateThreshold: 0.5, minimumRequests: 4, consecutiveFailures: 100, windowMs: 10_000 });
    await failTimes(breaker, 3);
    clock.advance(20_000);
    await breaker.execute(ok);
    await breaker.execute(ok);
    await breaker.execute(ok);
    await failTimes(breaker, 1);
    expect(breaker.snapshot()).toMatchObject({ windowTotal: 4, windowFailures: 1 });
    expect(breaker.state).toBe('closed');
  });

  it('while open, refuses at once with UPSTREAM_CIRCUIT_OPEN, 503 and Retry-After', async () => {
    const { breaker, clock } = setup({ halfOpenAfterMs: 30_000 });
    await failTimes(breaker, 5);
    clock.advance(10_000);
    let ran = false;
    const error = await breaker
      .execute(async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UPSTREAM_CIRCUIT_OPEN', category: 'unavailable', status: 503 });
    expect((error as AppError).headers).toEqual({ 'Retry-After': '20' });
    expect((error as AppError).details).toMatchObject({ upstream: 'erp', retryAfterMs: 20_000 });
  });

  it('after halfOpenAfterMs lets exactly one of 20 concurrent calls probe', async () => {
    const { breaker, clock, changes } = setup({ halfOpenAfterMs: 60_000 });
    await failTimes(breaker, 5);
    clock.advance(60_000);

    let entered = 0;
    let finishProbe!: () => void;
    const probeDone = new Promise<void>((resolve) => {
      finishProbe = resolve;
    });
    const calls = Array.from({ length: 20 }, () =>
      breaker.execute(async () => {
        entered++;
        await probeDone;
        return 'probed';
      }),
    );
    // Refusals are decided synchronously; settle them while the probe is still in flight.
    const early = await Promise.allSettled(calls.slice(1));
    expect(entered).toBe(1);
    expect(breaker.state).toBe('half-open');
    expect(early.every((r) => r.status === 'rejected' && (r.reason as AppError).code === 'UPSTREAM_CIRCUIT_OPEN')).toBe(true);

    finishProbe();
    await expect(calls[0]).resolves.toBe('probed');
    expect(breaker.state).toBe('closed');
    expect(changes.map((c) => `${c.from}->${c.to}:${c.reason}`)).toEqual([
      'closed->open:consecutive-failures',
      'open->half-open:probe',
      'half-open->closed:probe-succeeded',
    ]);
  });

  it('a failed probe reopens the circuit for another full period', async () => {
    const { breaker, clock } = setup({ halfOpenAfterMs: 1000 });
    await failTimes(breaker, 5);
    clock.advance(1000);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    clock.advance(999);
    await expect(breaker.execute(ok)).rejects.toMatchObject({ code: 'UPSTREAM_CIRCUIT_OPEN' });
    clock.advance(1);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('a released probe lets the next caller probe straight away', async () => {
    const { breaker, clock } = setup({ halfOpenAfterMs: 1000 });
    await failTimes(breaker, 5);
    clock.advance(1000);
    const permit = breaker.acquire();
    expect(permit.probe).toBe(true);
    permit.release();
    expect(breaker.state).toBe('open');
    expect(breaker.acquire().probe).toBe(true);
  });

  it('ignores late reports from calls admitted before the circuit changed state', async () => {
    const { breaker, clock } = setup({ halfOpenAfterMs: 1000 });
    const slow = breaker.acquire();
    await failTimes(breaker, 5);
    slow.success();
    expect(breaker.state).toBe('open');
    clock.advance(1000);
    const probe = breaker.acquire();
    probe.failure();
    probe.success(); // only the first report counts
    expect(breaker.state).toBe('open');
  });

  it('lets a custom classifier keep expected outcomes from counting', async () => {
    const { breaker } = setup();
    for (let i = 0; i < 10; i++) {
      await breaker
        .execute(
          async () => {
            throw new AppError('not_found', 'LOT_NOT_FOUND', 'no such lot');
          },
          (o) => !o.ok && !(o.error instanceof AppError && o.error.status < 500),
        )
        .catch(() => undefined);
    }
    expect(breaker.state).toBe('closed');
  });

  it('survives a throwing state listener', async () => {
    const breaker = new CircuitBreaker('erp', {
      onStateChange: () => {
        throw new Error('metrics down');
      },
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      await failTimes(breaker, 5);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(breaker.state).toBe('open');
    expect(warnings.some((w) => w.includes('metrics down'))).toBe(true);
  });
});

describe('BreakerRegistry', () => {
  it('keeps one breaker per upstream name with the registry defaults', async () => {
    const registry = new BreakerRegistry({ consecutiveFailures: 2 });
    const erp = registry.get('erp');
    expect(registry.get('erp')).toBe(erp);
    expect(registry.get('orders')).not.toBe(erp);
    await failTimes(erp, 2);
    expect(erp.state).toBe('open');
    expect(registry.get('orders').state).toBe('closed');
    expect(registry.snapshot().map((s) => [s.name, s.state])).toEqual([
      ['erp', 'open'],
      ['orders', 'closed'],
    ]);
  });
});
