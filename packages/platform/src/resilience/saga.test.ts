import { describe, expect, it } from 'vitest';
import { AppError, conflict } from '../core/errors.js';
import { runSaga, SagaError, type SagaStep } from './saga.js';

interface Ctx {
  log: string[];
}

const fast = { compensationBaseMs: 1, compensationCapMs: 5 };

function step(name: string, behaviour: { fail?: unknown; compensateFailures?: number } = {}): SagaStep<Ctx, string> {
  let compensateCalls = 0;
  return {
    name,
    async run(ctx) {
      ctx.log.push(`run ${name}`);
      if (behaviour.fail !== undefined) throw behaviour.fail;
      return `${name}-result`;
    },
    async compensate(ctx, result) {
      compensateCalls++;
      ctx.log.push(`undo ${name} (${result})`);
      if (compensateCalls <= (behaviour.compensateFailures ?? 0)) throw new Error(`cannot undo ${name}`);
    },
  };
}

describe('runSaga', () => {
  it('runs every step in order and returns their results by name', async () => {
    const ctx: Ctx = { log: [] };
    const results = await runSaga([step('reserve'), step('charge'), step('ship')], ctx, fast);
    expect(ctx.log).toEqual(['run reserve', 'run charge', 'run ship']);
    expect(results).toEqual({ reserve: 'reserve-result', charge: 'charge-result', ship: 'ship-result' });
  });

  it('on a failure at step 3 compensates steps 2 and 1 in reverse', async () => {
    const ctx: Ctx = { log: [] };
    const error = await runSaga([step('reserve'), step('charge'), step('ship', { fail: new Error('carrier down') })], ctx, fast).catch(
      (e: unknown) => e,
    );
    expect(ctx.log).toEqual(['run reserve', 'run charge', 'run ship', 'undo charge (charge-result)', 'undo reserve (reserve-result)']);
    expect(error).toBeInstanceOf(SagaError);
    expect(error).toBeInstanceOf(AppError);
    const saga = error as SagaError;
    expect(saga).toMatchObject({ code: 'SAGA_FAILED', category: 'unavailable', status: 503 });
    expect(saga.details).toEqual({ failedStep: 'ship', compensated: ['charge', 'reserve'], compensationFailures: [] });
    expect((saga.cause as Error).message).toBe('carrier down');
  });

  it("takes the failing step's category when it threw an AppError", async () => {
    const error = await runSaga(
      [step('reserve'), step('allocate', { fail: conflict('LOT_ON_HOLD', 'lot is on hold') })],
      { log: [] },
      fast,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SAGA_FAILED', category: 'conflict', status: 409 });
  });

  it('retries a flaky compensation', async () => {
    const ctx: Ctx = { log: [] };
    const error = (await runSaga(
      [step('reserve', { compensateFailures: 2 }), step('charge', { fail: new Error('declined') })],
      ctx,
      fast,
    ).catch((e: unknown) => e)) as SagaError;
    expect(ctx.log.filter((l) => l.startsWith('undo reserve'))).toHaveLength(3);
    expect(error.details).toMatchObject({ compensated: ['reserve'], compensationFailures: [] });
  });

  it('reports a compensation that keeps failing and still compensates the rest', async () => {
    const ctx: Ctx = { log: [] };
    const reported: string[] = [];
    const error = (await runSaga(
      [step('reserve'), step('charge', { compensateFailures: 99 }), step('ship', { fail: new Error('carrier down') })],
      ctx,
      { ...fast, compensationAttempts: 2, onCompensationFailure: ({ step: name }) => reported.push(name) },
    ).catch((e: unknown) => e)) as SagaError;

    expect(error).toBeInstanceOf(SagaError);
    expect(error.details).toEqual({
      failedStep: 'ship',
      compensated: ['reserve'],
      compensationFailures: [{ step: 'charge', code: undefined, message: 'cannot undo charge' }],
    });
    expect(error.message).toContain('compensation failed for "charge"');
    expect(error.compensationErrors.map((f) => f.error.message)).toEqual(['cannot undo charge']);
    expect(reported).toEqual(['charge']);
    expect(ctx.log.filter((l) => l.startsWith('undo charge'))).toHaveLength(2);
    expect(ctx.log.at(-1)).toBe('undo reserve (reserve-result)');
  });

  it('skips steps without a compensation and refuses duplicate names', async () => {
    const ctx: Ctx = { log: [] };
    const noUndo: SagaStep<Ctx> = { name: 'notify', run: async () => 'sent' };
    const error = (await runSaga([step('reserve'), noUndo, step('charge', { fail: new Error('x') })], ctx, fast).catch(
      (e: unknown) => e,
    )) as SagaError;
    expect(error.details.compensated).toEqual(['reserve']);
    await expect(runSaga([step('a'), step('a')], ctx, fast)).rejects.toMatchObject({ code: 'SAGA_STEP_DUPLICATE' });
  });
});
