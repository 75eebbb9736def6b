import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createHttpApp } from './app.js';
import type { HttpApp } from './types.js';

describe('request validation', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await createHttpApp({ name: 'validation-test', logger: silentLogger() });
    app.post(
      '/things',
      {
        schema: {
          querystring: Type.Object({ limit: Type.Integer({ default: 10 }) }),
          body: Type.Object({ name: Type.String(), urgent: Type.Boolean() }, { additionalProperties: false }),
        },
      },
      async (request) => ({ query: request.query, body: request.body }),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  it('coerces query strings to their declared types', async () => {
    const response = await app.inject({ method: 'POST', url: '/things?limit=5', payload: { name: 'a', urgent: true } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ query: { limit: 5 }, body: { name: 'a', urgent: true } });
  });

  it('refuses a body with a string where a boolean is declared', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a', urgent: 'true' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('REQUEST_VALIDATION_FAILED');
  });

  it('refuses undeclared body properties instead of dropping them', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a', urgent: false, nmae: 'typo' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('REQUEST_VALIDATION_FAILED');
  });
});
