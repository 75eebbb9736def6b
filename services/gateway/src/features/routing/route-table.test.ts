import { describe, expect, it } from 'vitest';
import { compilePattern, rewritePath, RouteTable, type RouteConfig } from './route-table.js';

function route(pathPattern: string, method = 'GET', extra: Partial<RouteConfig> = {}): RouteConfig {
  return {
    routeId: `${method} ${pathPattern}`,
    pathPattern,
    method,
    serviceName: 's',
    upstreamUrl: 'http://u',
    upstreamPath: null,
    upstreamAuth: 'none',
    routeName: pathPattern,
    priority: 0,
    loadBalancer: 'round_robin',
    servers: [{ url: 'http://u', weight: 1 }],
    healthCheckUrl: null,
    healthCheckIntervalMs: 30_000,
    authRequired: true,
    roles: null,
    scopes: null,
    limitOverride: null,
    corsOrigins: null,
    timeoutMs: 30_000,
    retryAttempts: 0,
    breakerEnabled: true,
    failureThreshold: 5,
    recoveryTimeoutMs: 60_000,
    cacheEnabled: false,
    cacheTtlSeconds: 300,
    deprecated: false,
    ...extra,
  };
}

describe('route table', () => {
  const table = new RouteTable();
  table.replace([
    route('/central/*', 'ANY'),
    route('/central/admin/*'),
    route('/items/{id}'),
    route('/items/special'),
    route('/order'),
    route('/order', 'POST'),
  ]);

  it('prefers the most specific pattern and exact methods', () => {
    expect(table.match('GET', '/items/special')?.route.pathPattern).toBe('/items/special');
    expect(table.match('GET', '/items/42')?.params).toEqual({ id: '42' });
    expect(table.match('GET', '/central/admin/tealine')?.route.pathPattern).toBe('/central/admin/*');
    expect(table.match('POST', '/central/admin/tealine')?.route.pathPattern).toBe('/central/*');
    expect(table.match('POST', '/order')?.route.method).toBe('POST');
    expect(table.match('HEAD', '/order')?.route.method).toBe('GET');
    expect(table.match('GET', '/order/x')).toBeUndefined();
    expect(table.match('GET', '/items')).toBeUndefined();
    expect(table.matchAnyMethod('/order')).toHaveLength(2);
  });

  it('rewrites with params and the wildcard rest', () => {
    const central = table.match('GET', '/central/tealine/record')!;
    expect(central.rest).toBe('tealine/record');
    expect(rewritePath('/app/*', central, '/central/tealine/record')).toBe('/app/tealine/record');
    expect(rewritePath('/app/*', table.match('PUT', '/central')!, '/central')).toBe('/app');
    expect(rewritePath('/catalog/{id}/detail', table.match('GET', '/items/7')!, '/items/7')).toBe('/catalog/7/detail');
    expect(rewritePath(null, central, '/central/tealine/record')).toBe('/central/tealine/record');
  });

  it('refuses patterns it cannot match safely', () => {
    expect(() => compilePattern('items')).toThrow();
    expect(() => compilePattern('/a b')).toThrow();
    expect(() => compilePattern('/a/*/b')).toThrow();
    expect(compilePattern('/a.b/{x}').regex.test('/a.b/1')).toBe(true);
    expect(compilePattern('/a.b/{x}').regex.test('/aXb/1')).toBe(false);
  });
});
