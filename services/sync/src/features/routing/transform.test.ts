import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../delivery/backoff.js';
import { globMatches } from './glob.js';
import { routesFor, type Route } from './routes.js';
import { missingRequiredFields, transformPayload } from './transform.js';

describe('transformations', () => {
  it('renames mapped fields, or picks only them, then applies the steps in order', () => {
    const payload = { customer_name: 'A', territory: 'S', extra: 1, contact: { email: ' X@Y.COM ' } };
    expect(transformPayload(payload, { fieldMappings: { customer_name: 'name' } })).toEqual({
      name: 'A',
      territory: 'S',
      extra: 1,
      contact: { email: ' X@Y.COM ' },
    });
    expect(transformPayload(payload, { fieldMappings: { customer_name: 'name', 'contact.email': 'email' }, mappingMode: 'pick' })).toEqual({
      name: 'A',
      email: ' X@Y.COM ',
    });
    expect(
      transformPayload(payload, {
        transformations: [
          { op: 'trim', field: 'contact.email' },
          { op: 'lowercase', field: 'contact.email' },
          { op: 'remove', field: 'extra' },
          { op: 'set', field: 'origin', value: 'erp' },
          { op: 'default', field: 'territory', value: 'N' },
          { op: 'copy', field: 'customer_name', to: 'display.name' },
          { op: 'to_string', field: 'missing' },
        ],
      }),
    ).toEqual({ customer_name: 'A', territory: 'S', contact: { email: 'x@y.com' }, origin: 'erp', display: { name: 'A' } });
    expect(payload.extra).toBe(1);
    expect(transformPayload('text', { fieldMappings: { a: 'b' } })).toBe('text');
    expect(missingRequiredFields({ item_code: 'I', item_name: '' }, { required_fields: ['item_code', 'item_name'] })).toEqual([
      'item_name',
    ]);
  });
});

describe('routing', () => {
  const route = (name: string, target: string, eventTypes: string[], extra: Partial<Route> = {}): Route => ({
    configId: name,
    name,
    sourceSystem: 'processing',
    targetSystem: target,
    entityType: null,
    spec: { eventTypes, target: { kind: 'service', service: target } },
    validationRules: null,
    frequency: 'real_time',
    batchSize: 100,
    maxRetries: 5,
    retryDelayMs: 1000,
    failFast: false,
    isActive: true,
    ...extra,
  });
  it('matches globs, takes one configuration per target, skips inactive ones and the source itself', () => {
    expect(globMatches('*allocat*', 'allocation.changed')).toBe(true);
    expect(globMatches('item.*', 'items.changed')).toBe(false);
    const routes = [
      route('off', 'orders', ['*'], { isActive: false }),
      route('a', 'orders', ['*allocat*']),
      route('b', 'orders', ['*']),
      route('c', 'erp', ['allocation.*']),
      route('self', 'processing', ['*']),
    ];
    expect(routesFor({ source: 'processing', name: 'allocation.changed', aggregateType: 'shipment' }, routes).map((r) => r.name)).toEqual([
      'a',
      'c',
    ]);
    expect(routesFor({ source: 'orders', name: 'allocation.changed', aggregateType: 'shipment' }, routes)).toEqual([]);
  });
});

describe('retry backoff', () => {
  it('grows by the factor, stays within [ceiling/2, ceiling] and never passes the cap', () => {
    const options = { baseMs: 1000, factor: 2, capMs: 10_000 };
    expect(retryDelayMs(0, options, () => 0)).toBe(500);
    expect(retryDelayMs(0, options, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(3, options, () => 0)).toBe(4000);
    expect(retryDelayMs(30, options, () => 1)).toBe(10_000);
    expect(retryDelayMs(2, { ...options, factor: 3 }, () => 1)).toBe(9000);
  });
});
