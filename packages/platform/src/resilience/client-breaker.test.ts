import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { BreakerRegistry, type BreakerStateChange } from './breaker.js';
import { createServiceClient, type ServiceClient } from './client.js';
import { gate, sendJson, startServer, type TestServer } from './test-support.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((fn) => fn()));
});

interface Rig {
  server: TestServer;
  erp: ServiceClient;
  clock: ManualClock;
  changes: BreakerStateChange[];
  /** What the server answers next. */
  mode: { status: number; hold?: Promise<void> };
}

async function rig(): Promise<Rig> {
  const mode: Rig['mode'] = { status: 503 };
  const server = await startServer(async (_req, res) => {
    if (mode.hold) await mode.hold;
    sendJson(res, mode.status, mode.status >= 400 ? { code: 'BROKEN', message: 'broken' } : { ok: true });
  });
  const clock = new ManualClock();
  const changes: BreakerStateChange[] = [];
  const erp = createServiceClient({
    name: 'erp',
    baseUrl: server.url,
    now: () => clock.now(),
    retry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
    breaker: { halfOpenAfterMs: 60_000, onStateChange: (c) => changes.push(c) },
  });
  cleanup.push(async () => {
    await erp.close();
    await server.close();
  });
  return { server, erp, clock, changes, mode };
}

async function callTimes(erp: ServiceClient, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await erp.request({ method: 'GET', path: '/lots' }).catch(() => undefined);
}

async function open(r: Rig): Promise<void> {
  await callTimes(r.erp, 5);
  expect(r.erp.breaker.state).toBe('open');
}

describe('service client circuit breaker', () => {
  it('opens after 5 consecutive 503 answers', async () => {
    const r = await rig();
    await callTimes(r.erp, 4);
    expect(r.erp.breaker.state).toBe('closed');
    await callTimes(r.erp, 1);
    expect(r.erp.breaker.state).toBe('open');
    expect(r.server.hits).toBe(5);
  });

  it('does not count 4xx answers as failures', async () => {
    const r = await rig();
    r.mode.status = 404;
    await callTimes(r.erp, 10);
    expect(r.erp.breaker.state).toBe('closed');
    expect(r.server.hits).toBe(10);
  });

  it("5 × 400 and 5 × 500 leave the circuit closed: one caller's bad requests never refuse everyone", async () => {
    const r = await rig();
    r.mode.status = 400;
    await callTimes(r.erp, 5);
    r.mode.status = 500;
    await callTimes(r.erp, 5);
    expect(r.erp.breaker.state).toBe('closed');
    expect(r.erp.breaker.snapshot()).toMatchObject({ consecutiveFailures: 0, windowFailures: 0 });
    expect(r.server.hits).toBe(10);
  });

  it('5 × connection refused opens the circuit', async () => {
    // A port that was just listening and is now closed refuses connections.
    const gone = await startServer();
    const url = gone.url;
    await gone.close();
    const erp = createServiceClient({ name: 'erp', baseUrl: url, retry: { maxAttempts: 1, baseMs: 1, capMs: 1 } });
    cleanup.push(() => erp.close());
    for (let i = 0; i < 5; i++) {
      await expect(erp.request({ method: 'GET', path: '/lots' })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    }
    expect(erp.breaker.state).toBe('open');
  });

  it('while open, fails fast with 503 UPSTREAM_CIRCUIT_OPEN without touching the server', async () => {
    const r = await rig();
    await open(r);
    r.clock.advance(59_999);
    const errors = await Promise.all(
      Array.from({ length: 10 }, () => r.erp.request({ method: 'GET', path: '/lots' }).catch((e: unknown) => e)),
    );
    expect(r.server.hits).toBe(5);
    for (const error of errors) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'UPSTREAM_CIRCUIT_OPEN', status: 503, headers: { 'Retry-After': '1' } });
    }
  });

  it('after halfOpenAfterMs exactly one of 20 concurrent calls reaches the server, and its success closes the circuit', async () => {
    const r = await rig();
    await open(r);
    r.clock.advance(60_000);
    r.mode.status = 200;
    const held = gate();
    r.mode.hold = held.promise;

    const calls = Array.from({ length: 20 }, () => r.erp.request({ method: 'GET', path: '/lots' }));
    // The probe is held at the server, so everyone else must already have been turned away.
    const refused = await Promise.allSettled(calls.slice(1));
    expect(refused.every((o) => o.status === 'rejected' && (o.reason as AppError).code === 'UPSTREAM_CIRCUIT_OPEN')).toBe(true);
    expect(r.erp.breaker.state).toBe('half-open');

    held.open();
    const probe = await calls[0];
    expect(probe?.status).toBe(200);
    expect(r.server.hits).toBe(6);
    expect(r.erp.breaker.state).toBe('closed');
    expect(r.changes.map((c) => c.to)).toEqual(['open', 'half-open', 'closed']);

    r.mode.hold = undefined;
    await callTimes(r.erp, 3);
    expect(r.server.hits).toBe(9);
  });

  it('a failed probe reopens the circuit', async () => {
    const r = await rig();
    await open(r);
    r.clock.advance(60_000);
    await expect(r.erp.request({ method: 'GET', path: '/lots' })).resolves.toMatchObject({ status: 503 });
    expect(r.erp.breaker.state).toBe('open');
    await expect(r.erp.request({ method: 'GET', path: '/lots' })).rejects.toMatchObject({ code: 'UPSTREAM_CIRCUIT_OPEN' });
    expect(r.server.hits).toBe(6);
  });

  it('does not retry into a circuit its own failures just opened, returning the real last answer', async () => {
    const server = await startServer((_req, res) => sendJson(res, 503, { code: 'BUSY', message: 'busy' }));
    const erp = createServiceClient({
      name: 'erp',
      baseUrl: server.url,
      retry: { maxAttempts: 5, baseMs: 1, capMs: 5 },
      breaker: { consecutiveFailures: 2 },
    });
    cleanup.push(async () => {
      await erp.close();
      await server.close();
    });
    const response = await erp.request({ method: 'GET', path: '/lots' });
    expect(response).toMatchObject({ status: 503, body: { code: 'BUSY' } });
    expect(server.hits).toBe(2);
    expect(erp.breaker.state).toBe('open');
  });

  it('trips on the failure rate even without 5 failures in a row', async () => {
    const server = await startServer((req, res) => sendJson(res, req.url === '/bad' ? 503 : 200, {}));
    const erp = createServiceClient({
      name: 'erp',
      baseUrl: server.url,
      retry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
      breaker: { failureRateThreshold: 0.5, minimumRequests: 10 },
    });
    cleanup.push(async () => {
      await erp.close();
      await server.close();
    });
    for (let i = 0; i < 5; i++) {
      await erp.request({ method: 'GET', path: '/good' });
      await erp.request({ method: 'GET', path: '/bad' });
    }
    expect(erp.breaker.state).toBe('open');
    expect(server.hits).toBe(10);
  });

  it('clients of the same upstream can share one breaker through a registry', async () => {
    const server = await startServer((_req, res) => sendJson(res, 503, {}));
    const breakers = new BreakerRegistry({ consecutiveFailures: 2 });
    const options = { name: 'erp', baseUrl: server.url, breakers, retry: { maxAttempts: 1, baseMs: 1, capMs: 1 } };
    const a = createServiceClient(options);
    const b = createServiceClient(options);
    cleanup.push(async () => {
      await Promise.all([a.close(), b.close()]);
      await server.close();
    });
    await callTimes(a, 2);
    await expect(b.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ code: 'UPSTREAM_CIRCUIT_OPEN' });
    expect(a.breaker).toBe(b.breaker);
    expect(server.hits).toBe(2);
  });
});
