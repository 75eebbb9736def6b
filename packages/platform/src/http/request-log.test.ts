import { describe, expect, it } from 'vitest';
import { buildApp, capturingLogger } from './test-support.js';

describe('request logging', () => {
  it('writes one info line per request with ids, route pattern, status and duration', async () => {
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ logger });
    await app.inject({ method: 'GET', url: '/orders/ord_9', headers: { 'x-request-id': 'req-1' } });
    const forRequest = lines.filter((line) => line.reqId === 'req-1');
    expect(forRequest).toHaveLength(1);
    expect(forRequest[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      method: 'GET',
      route: '/orders/:id',
      status: 200,
      ms: expect.any(Number),
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      service: 'test-service',
    });
    expect(lines.some((line) => line.msg === 'incoming request')).toBe(false);
  });

  it('names the error code on refused requests', async () => {
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ logger });
    await app.inject({ method: 'GET', url: '/conflict', headers: { 'x-request-id': 'req-2' } });
    const completed = lines.find((line) => line.reqId === 'req-2' && line.msg === 'request completed');
    expect(completed).toMatchObject({ level: 30, status: 409, code: 'ORDER_ALREADY_SHIPPED' });
  });

  it('logs probes and scrapes at debug', async () => {
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ logger });
    await app.inject({ method: 'GET', url: '/health/ready', headers: { 'x-request-id': 'probe-1' } });
    await app.inject({ method: 'GET', url: '/metrics', headers: { 'x-request-id': 'scrape-1' } });
    for (const reqId of ['probe-1', 'scrape-1']) {
      expect(lines.find((line) => line.reqId === reqId && line.msg === 'request completed')).toMatchObject({ level: 20 });
    }
  });

  it("logs the sync service's answered outbox long-polls at debug, a refused one at info", async () => {
    const { logger, lines } = capturingLogger();
    const app = await buildApp({ logger }, (instance) => {
      instance.get('/internal/outbox', async (request, reply) =>
        (request.query as { after?: string }).after === 'bad' ? reply.code(503).send({ code: 'DOWN' }) : { events: [] },
      );
    });
    await app.inject({ method: 'GET', url: '/internal/outbox?after=0', headers: { 'x-request-id': 'poll-1' } });
    await app.inject({ method: 'GET', url: '/internal/outbox?after=bad', headers: { 'x-request-id': 'poll-2' } });
    const completed = (reqId: string) => lines.find((line) => line.reqId === reqId && line.msg === 'request completed');
    expect(completed('poll-1')).toMatchObject({ level: 20, status: 200 });
    expect(completed('poll-2')).toMatchObject({ level: 30, status: 503 });
  });
});
