import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { createHttpApp } from './app.js';
import { lineSink } from './test-support.js';

/** The service logger as production builds it (redaction on), writing JSON lines into an array. */
function serviceLogger(level = 'info') {
  const { destination, lines } = lineSink();
  return { logger: createLogger({ name: 'orders', level, pretty: false, destination }), lines };
}

describe("a request's logger", () => {
  it('binds service, request id, trace and span to the completion line, in that order, before its own fields', async () => {
    const { logger, lines } = serviceLogger();
    const app = await createHttpApp({ name: 'orders', logger });
    app.get('/orders/:id', async () => ({ ok: true }));
    const response = await app.inject({ method: 'GET', url: '/orders/7', headers: { 'x-request-id': 'req-order' } });
    const line = lines.find((entry) => entry.reqId === 'req-order');
    const [, traceId, spanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-/.exec(String(response.headers.traceparent)) ?? [];
    expect(line).toMatchObject({ service: 'orders', reqId: 'req-order', traceId, spanId, route: '/orders/:id', status: 200 });
    expect(Object.keys(line ?? {}).slice(2, 9)).toEqual(['service', 'reqId', 'traceId', 'spanId', 'method', 'route', 'status']);
    await app.close();
  });

  it('still redacts what a handler logs, with the same bindings', async () => {
    const { logger, lines } = serviceLogger();
    const app = await createHttpApp({ name: 'orders', logger });
    app.get('/login', async (request) => {
      request.log.info({ user: { password: 'hunter2' }, token: 'secret-token' }, 'signing in');
      return { ok: true };
    });
    await app.inject({ method: 'GET', url: '/login', headers: { 'x-request-id': 'req-login' } });
    const logged = lines.find((entry) => entry.msg === 'signing in');
    expect(logged).toMatchObject({ reqId: 'req-login', user: { password: '[redacted]' }, token: '[redacted]' });
    expect(logged?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
    expect(lines.filter((entry) => entry.reqId === 'req-login').map((entry) => entry.msg)).toEqual(['signing in', 'request completed']);
    await app.close();
  });

  it("obeys a route's own log level, completion line included", async () => {
    const { logger, lines } = serviceLogger();
    const app = await createHttpApp({ name: 'orders', logger });
    app.get('/quiet', { logLevel: 'warn' }, async () => ({ ok: true }));
    app.get('/loud', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/quiet', headers: { 'x-request-id': 'req-quiet' } });
    await app.inject({ method: 'GET', url: '/loud', headers: { 'x-request-id': 'req-loud' } });
    expect(lines.some((entry) => entry.reqId === 'req-quiet')).toBe(false);
    expect(lines.some((entry) => entry.reqId === 'req-loud')).toBe(true);
    await app.close();
  });

  it('writes nothing below the service level and follows a level raised at run time', async () => {
    const { logger, lines } = serviceLogger('warn');
    const app = await createHttpApp({ name: 'orders', logger });
    app.get('/x', async (request) => {
      request.log.debug('not written');
      return { ok: true };
    });
    await app.inject({ method: 'GET', url: '/x', headers: { 'x-request-id': 'req-warn' } });
    expect(lines.some((entry) => entry.reqId === 'req-warn')).toBe(false);
    app.log.level = 'debug';
    await app.inject({ method: 'GET', url: '/x', headers: { 'x-request-id': 'req-debug' } });
    expect(lines.filter((entry) => entry.reqId === 'req-debug').map((entry) => entry.msg)).toEqual(['not written', 'request completed']);
    await app.close();
  });
});
