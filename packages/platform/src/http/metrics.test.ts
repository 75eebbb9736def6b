import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildApp } from './test-support.js';
import type { HttpApp } from './types.js';

async function scrape(app: HttpApp): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.body;
}

/** The value of the series with exactly these labels, whatever order prom-client writes them in. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const wanted = Object.entries(labels);
    if (wanted.length === Object.keys(found).length && wanted.every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

const ORDERS_200 = { service: 'test-service', method: 'GET', route: '/orders/:id', status: '200' };

describe('metrics', () => {
  it('counts and times requests by route pattern, never by raw URL', async () => {
    const app = await buildApp();
    await app.inject({ method: 'GET', url: '/orders/ord_1' });
    await app.inject({ method: 'GET', url: '/orders/ord_2?verbose=true' });
    await app.inject({ method: 'GET', url: '/conflict' });
    const text = await scrape(app);
    expect(sample(text, 'http_requests_total', ORDERS_200)).toBe(2);
    expect(sample(text, 'http_requests_total', { ...ORDERS_200, route: '/conflict', status: '409' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', ORDERS_200)).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...ORDERS_200, le: '+Inf' })).toBe(2);
    expect(text).not.toContain('ord_1');
  });

  it('puts every unmatched URL under one route label', async () => {
    const app = await buildApp();
    await app.inject({ method: 'GET', url: '/wp-admin/setup.php' });
    await app.inject({ method: 'GET', url: '/.env' });
    const text = await scrape(app);
    expect(sample(text, 'http_requests_total', { ...ORDERS_200, route: 'unmatched', status: '404' })).toBe(2);
    expect(text).not.toContain('wp-admin');
  });

  it('appends the process metrics', async () => {
    const text = await scrape(await buildApp());
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('keeps two apps in one process apart, service metrics included', async () => {
    const orders = await buildApp({ name: 'orders' }, (app) => {
      const created = new Counter({ name: 'orders_created_total', help: 'Orders created', registers: [app.metrics] });
      app.post('/orders', async () => {
        created.inc();
        return { ok: true };
      });
    });
    const erp = await buildApp({ name: 'erp' }, (app) => {
      app.get('/items', async () => []);
    });
    await orders.inject({ method: 'POST', url: '/orders' });
    await erp.inject({ method: 'GET', url: '/items' });
    await erp.inject({ method: 'GET', url: '/items' });

    const [ordersText, erpText] = [await scrape(orders), await scrape(erp)];
    expect(sample(ordersText, 'orders_created_total', { service: 'orders' })).toBe(1);
    expect(sample(ordersText, 'http_requests_total', { service: 'orders', method: 'POST', route: '/orders', status: '200' })).toBe(1);
    expect(ordersText).not.toContain('/items');
    expect(sample(erpText, 'http_requests_total', { service: 'erp', method: 'GET', route: '/items', status: '200' })).toBe(2);
    expect(erpText).not.toContain('orders_created_total');
    expect(erpText).not.toContain('route="/orders"');
  });
});
