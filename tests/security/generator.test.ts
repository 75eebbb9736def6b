import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { draftArbitrary } from './generator.js';
import { operationsOf } from './openapi.js';

/** A small document in the shape the services publish: one read with query parameters, one write with a body. */
const document = {
  paths: {
    '/items/{name}': {
      get: {
        parameters: [
          { in: 'path', name: 'name', required: true, schema: { type: 'string', minLength: 1 } },
          { in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1 } },
        ],
      },
      patch: {
        parameters: [{ in: 'path', name: 'name', required: true, schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['qty'],
                additionalProperties: false,
                properties: {
                  qty: { type: 'integer', minimum: 1 },
                  note: { type: 'string', maxLength: 20 },
                  kind: { type: 'string', enum: ['a', 'b'] },
                },
              },
            },
          },
        },
      },
    },
  },
};

const [read, write] = operationsOf('demo', document);

describe('fuzz request generator', () => {
  it('reads the operations of an OpenAPI document', () => {
    expect(read).toMatchObject({ service: 'demo', method: 'GET', path: '/items/{name}', methodsOnPath: ['GET', 'PATCH'] });
    expect(write).toMatchObject({ method: 'PATCH', body: { required: ['qty'] } });
  });

  it('draws the same requests from the same seed, so a run can be replayed', () => {
    const draw = (seed: number) =>
      fc.sample(draftArbitrary({ operation: write!, template: '/api/v1/demo/items/{name}' }), { seed, numRuns: 50 });
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('gives a write only mutations the service must refuse', () => {
    const drafts = fc.sample(draftArbitrary({ operation: write!, template: '/items/{name}' }), { seed: 1, numRuns: 2_000 });
    for (const draft of drafts) {
      const mutation = draft.mutation.split(';')[0]!;
      const refused =
        /missing|wrong type|out of|NUL|1e309|Infinity|NaN|""|5000-level|over maxLength|^body is|^content-type|^body (truncated|single|trailing|BOM|__proto__|constructor|unclosed)|wrong method|empty/.test(
          mutation,
        );
      expect(refused, `${draft.method} ${draft.path} ${mutation}`).toBe(true);
      // No merely odd value (control characters, surrogates, huge strings) stands alone in a write's parameters.
      expect(mutation).not.toMatch(/^(path|query) \S+ = (control|lone|invalid UTF-8|right-to-left|huge|SQL|hex|traversal)/);
    }
  });

  it('covers parameters, bodies, encodings and methods', () => {
    const mutations = [read!, write!].flatMap((operation) =>
      fc
        .sample(draftArbitrary({ operation, template: operation.path }), { seed: 3, numRuns: 1_000 })
        .map((draft) => draft.mutation.split(';')[0]!),
    );
    for (const expected of [
      /^query limit = 1e309$/,
      /^path name = NUL$/,
      /^body qty missing$/,
      /^body qty = 1e309$/,
      /^body note = 200k string/,
      /^body is 5000-level array$/,
      /^content-type text\/plain$/,
      /^body truncated JSON$/,
      /^wrong method/,
      /^GET with a JSON body$/,
    ]) {
      expect(
        mutations.some((mutation) => expected.test(mutation)),
        String(expected),
      ).toBe(true);
    }
  });
});
