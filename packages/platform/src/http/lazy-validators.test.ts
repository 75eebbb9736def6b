import { Type } from '@sinclair/typebox';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createHttpApp } from './app.js';
import { LazyValidators } from './lazy-validators.js';

type Validate = ReturnType<LazyValidators['wrap']>;

function counting(result: boolean) {
  const counter = { compiled: 0 };
  const compile = () => {
    counter.compiled++;
    const validate = ((data: unknown) => {
      validate.errors = result
        ? null
        : [{ keyword: 'test', instancePath: '', schemaPath: '#', params: {}, message: `refused ${JSON.stringify(data)}` }];
      return result;
    }) as Validate & { errors?: unknown };
    return validate;
  };
  return { counter, compile };
}

describe('lazy route validators', () => {
  it('compiles a validator on its first call, once, and hands over its errors', () => {
    const validators = new LazyValidators();
    const { counter, compile } = counting(false);
    const validate = validators.wrap(compile) as Validate & { errors?: unknown };
    expect(counter.compiled).toBe(0);
    expect(validators.remaining).toBe(1);
    expect(validate({ a: 1 })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ message: 'refused {"a":1}' })]);
    expect(validate({ a: 2 })).toBe(false);
    expect(counter.compiled).toBe(1);
    expect(validators.remaining).toBe(0);
  });

  it('warm-up compiles every validator not used yet, across several turns of the event loop', async () => {
    const validators = new LazyValidators();
    const all = Array.from({ length: 30 }, () => counting(true));
    const wrapped = all.map(({ compile }) => validators.wrap(compile));
    wrapped[3]!({});
    const warming = validators.warm(() => expect.fail('no schema fails here'));
    // The first slice compiles at once; the rest wait for later turns, so requests get in between.
    expect(all.filter(({ counter }) => counter.compiled === 1)).toHaveLength(1 + 8);
    await warming;
    expect(all.map(({ counter }) => counter.compiled)).toEqual(all.map(() => 1));
    expect(validators.remaining).toBe(0);
    expect(wrapped[7]!({})).toBe(true);
    expect(all[7]!.counter.compiled).toBe(1);
  });

  it('warms after a delay, and not at all once stopped', async () => {
    const later = new LazyValidators();
    const warmed = counting(true);
    later.wrap(warmed.compile);
    later.warmLater(20, () => expect.fail('no schema fails here'));
    expect(warmed.counter.compiled).toBe(0);
    await vi.waitFor(() => expect(warmed.counter.compiled).toBe(1));

    const stopped = new LazyValidators();
    const never = counting(true);
    stopped.wrap(never.compile);
    stopped.warmLater(20, () => expect.fail('no schema fails here'));
    stopped.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(never.counter.compiled).toBe(0);
    expect(stopped.remaining).toBe(1);
  });

  it('reports a schema that does not compile and goes on with the others', async () => {
    const validators = new LazyValidators();
    const good = counting(true);
    validators.wrap(() => {
      throw new Error('schema is invalid: unknown keyword');
    });
    validators.wrap(good.compile);
    const errors: unknown[] = [];
    await validators.warm((error) => errors.push(error));
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('unknown keyword');
    expect(good.counter.compiled).toBe(1);
  });

  it('an app validates the same before and after its validators are warmed by listening', async () => {
    const app = await createHttpApp({ name: 'lazy-validation-test', logger: silentLogger() });
    app.get('/items/:id', { schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request) => request.params);
    app.post(
      '/items',
      { schema: { body: Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false }) } },
      async (request) => request.body,
    );
    try {
      const beforeListen = await app.inject({ method: 'POST', url: '/items', payload: { name: '' } });
      expect(beforeListen.statusCode).toBe(400);
      expect(beforeListen.json().code).toBe('REQUEST_VALIDATION_FAILED');
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const coerced = await fetch(`${base}/items/12`);
      expect(coerced.status).toBe(200);
      expect(await coerced.json()).toEqual({ id: 12 });
      const refused = await fetch(`${base}/items/0`);
      expect(refused.status).toBe(400);
      const accepted = await fetch(`${base}/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"tea"}',
      });
      expect(accepted.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
