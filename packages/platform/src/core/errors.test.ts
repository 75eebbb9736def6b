import { describe, expect, it } from 'vitest';
import { AppError, coerceError, conflict, invalid, statusOf } from './errors.js';

describe('AppError', () => {
  it('maps categories to HTTP statuses', () => {
    expect(invalid('X_BAD', 'bad').status).toBe(400);
    expect(conflict('X_STATE', 'no').status).toBe(409);
    expect(new AppError('rate_limited', 'RATE_LIMITED', 'slow down').status).toBe(429);
    expect(statusOf('timeout')).toBe(504);
  });

  it('keeps the code and details', () => {
    const error = invalid('ORDER_QUANTITY_INVALID', 'quantity must be positive', { details: { field: 'quantity' } });
    expect(error.code).toBe('ORDER_QUANTITY_INVALID');
    expect(error.details).toEqual({ field: 'quantity' });
    expect(error).toBeInstanceOf(Error);
  });

  it('coerces non-errors', () => {
    expect(coerceError('boom').message).toBe('boom');
    const original = new Error('x');
    expect(coerceError(original)).toBe(original);
    expect(coerceError(42).cause).toBe(42);
  });
});
