import { AppError, coerceError, isAppError, type ErrorCategory } from '../core/errors.js';
import { retry } from './retry.js';

export interface SagaStep<C, R = unknown> {
  name: string;
  run(ctx: C): Promise<R>;
  /** Undoes `run`; receives what `run` returned. Must be safe to call more than once (it is retried). */
  compensate?(ctx: C, result: R): Promise<void>;
}

export interface SagaOptions {
  /** Tries per compensation. Default 3. */
  compensationAttempts?: number;
  /** Backoff between compensation tries, ms. Defaults 100 / 2000. */
  compensationBaseMs?: number;
  compensationCapMs?: number;
  /** Called for each compensation that still failed after its tries, e.g. to page someone. */
  onCompensationFailure?: (failure: { step: string; error: Error }) => void;
}

export interface CompensationFailure {
  step: string;
  code: string | undefined;
  message: string;
}

export interface SagaFailureDetails {
  failedStep: string;
  /** Steps undone, in the order they were undone (reverse of execution). */
  compensated: string[];
  /** Steps whose undo failed: their effects are still in place and need a human or a repair job. */
  compensationFailures: CompensationFailure[];
  [key: string]: unknown;
}

/**
 * A saga that could not finish. Its category follows the failing step's when that step threw
 * an AppError (a 409 from a business rule stays a 409), otherwise 'unavailable'. The original
 * step error is `cause`; the raw compensation errors are kept on `compensationErrors`.
 */
export class SagaError extends AppError {
  override readonly details: SagaFailureDetails;
  readonly compensationErrors: { step: string; error: Error }[];

  constructor(
    category: ErrorCategory,
    message: string,
    details: SagaFailureDetails,
    cause: unknown,
    compensationErrors: { step: string; error: Error }[],
  ) {
    super(category, 'SAGA_FAILED', message, { details, cause });
    this.name = 'SagaError';
    this.details = details;
    this.compensationErrors = compensationErrors;
  }
}

/**
 * Runs steps in order. When one fails, the completed steps are compensated newest first; every
 * compensation is attempted even if an earlier one failed, because leaving more effects behind
 * to spare a log line is the wrong trade. Resolves with each step's result keyed by name.
 */
export async function runSaga<C>(steps: readonly SagaStep<C>[], ctx: C, options: SagaOptions = {}): Promise<Record<string, unknown>> {
  const names = new Set<string>();
  for (const step of steps) {
    if (names.has(step.name)) throw new AppError('internal', 'SAGA_STEP_DUPLICATE', `Saga step "${step.name}" appears twice`);
    names.add(step.name);
  }

  const completed: { step: SagaStep<C>; result: unknown }[] = [];
  const results: Record<string, unknown> = {};
  for (const step of steps) {
    try {
      const result = await step.run(ctx);
      completed.push({ step, result });
      results[step.name] = result;
    } catch (error) {
      throw await compensate(step.name, error, completed, ctx, options);
    }
  }
  return results;
}

async function compensate<C>(
  failedStep: string,
  stepError: unknown,
  completed: { step: SagaStep<C>; result: unknown }[],
  ctx: C,
  options: SagaOptions,
): Promise<SagaError> {
  const compensated: string[] = [];
  const failures: { step: string; error: Error }[] = [];

  for (const { step, result } of [...completed].reverse()) {
    if (!step.compensate) continue;
    try {
      await retry(() => step.compensate!(ctx, result), {
        maxAttempts: options.compensationAttempts ?? 3,
        baseMs: options.compensationBaseMs ?? 100,
        capMs: options.compensationCapMs ?? 2000,
      });
      compensated.push(step.name);
    } catch (error) {
      const failure = { step: step.name, error: coerceError(error) };
      failures.push(failure);
      options.onCompensationFailure?.(failure);
    }
  }

  const cause = coerceError(stepError);
  const category: ErrorCategory = isAppError(stepError) ? stepError.category : 'unavailable';
  const undoNote = failures.length === 0 ? '' : `; compensation failed for ${failures.map((f) => `"${f.step}"`).join(', ')}`;
  const details: SagaFailureDetails = {
    failedStep,
    compensated,
    compensationFailures: failures.map(({ step, error }) => ({
      step,
      code: isAppError(error) ? error.code : undefined,
      message: error.message,
    })),
  };
  return new SagaError(category, `Saga failed at step "${failedStep}": ${cause.message}${undoNote}`, details, stepError, failures);
}
