import { describe, expect, it } from 'vitest';
import { AppError, coerceError, conflict, defineErrors, invalid, methodNotAllowed, statusOf, type ErrorCategory } from './errors.js';

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

describe('defineErrors', () => {
  const E = defineErrors({ ORDER_NOT_FOUND: 'not_found', ORDER_QUANTITY_INVALID: 'invalid' });

  it('returns one typed thrower per code with its declared category', () => {
    const error = E.ORDER_NOT_FOUND('no order 7', { details: { id: 7 } });
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('ORDER_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.details).toEqual({ id: 7 });
    expect(E.ORDER_QUANTITY_INVALID('bad').status).toBe(400);
    expect(E.ORDER_NOT_FOUND.code).toBe('ORDER_NOT_FOUND');
    expect(E.ORDER_NOT_FOUND.category).toBe('not_found');
  });

  it('recognises its own code whoever raised it', () => {
    expect(E.ORDER_NOT_FOUND.is(new AppError('not_found', 'ORDER_NOT_FOUND', 'x'))).toBe(true);
    expect(E.ORDER_NOT_FOUND.is(E.ORDER_QUANTITY_INVALID('x'))).toBe(false);
    expect(E.ORDER_NOT_FOUND.is(new Error('ORDER_NOT_FOUND'))).toBe(false);
  });

  it('refuses codes that are not UPPER_SNAKE and unknown categories', () => {
    expect(() => defineErrors({ orderNotFound: 'not_found' })).toThrow(/UPPER_SNAKE/);
    expect(() => defineErrors({ X_Y: 'nope' as ErrorCategory })).toThrow(/unknown category/);
  });
});

describe('methodNotAllowed', () => {
  it('is a 405 that lists the allowed methods in Allow', () => {
    const error = methodNotAllowed('DELETE', '/orders', ['post', 'GET', 'GET']);
    expect(error.status).toBe(405);
    expect(error.code).toBe('METHOD_NOT_ALLOWED');
    expect(error.headers).toEqual({ allow: 'GET, POST' });
    expect(error.details).toEqual({ allowed: ['GET', 'POST'] });
  });
});
