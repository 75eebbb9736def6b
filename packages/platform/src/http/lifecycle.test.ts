import { request as httpRequest } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { drainHttpApp, installShutdown, startHttpServer } from './lifecycle.js';
import { buildApp, gate } from './test-support.js';
import type { HttpApp } from './types.js';

/** An app with /slow, held in flight until close() is under way. */
async function slowApp() {
  const entered = gate();
  const finish = gate();
  const app = await buildApp({}, (instance: HttpApp) => {
    instance.get('/slow', async () => {
      entered.release();
      await finish.wait;
      return { finished: true };
    });
    // preClose runs inside close(), after Fastify stopped taking new requests and before the server closes.
    instance.addHook('preClose', async () => finish.release());
  });
  return { app, entered };
}

describe('startHttpServer', () => {
  it('listens and returns the address', async () => {
    const app = await buildApp();
    const address = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await httpRequest(`${address}/health/live`);
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });
});

describe('drainHttpApp', () => {
  it('turns readiness to 503 first, then closes while the in-flight request completes', async () => {
    const { app, entered } = await slowApp();
    const origin = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    const before = await httpRequest(`${origin}/health/ready`);
    expect(before.statusCode).toBe(200);
    await before.body.dump();

    const inFlight = httpRequest(`${origin}/slow`);
    await entered.wait;
    let readyWhileDraining: { status: number; body: unknown } | undefined;
    await drainHttpApp(app, {
      beforeClose: async () => {
        const response = await httpRequest(`${origin}/health/ready`);
        readyWhileDraining = { status: response.statusCode, body: await response.body.json() };
      },
    });

    expect(readyWhileDraining).toEqual({ status: 503, body: { status: 'draining', checks: {} } });
    const response = await inFlight;
    expect(response.statusCode).toBe(200);
    // Without it the kept-alive socket would hold close() open until the keep-alive timeout.
    expect(response.headers.connection).toBe('close');
    expect(await response.body.json()).toEqual({ finished: true });
    expect(app.server.listening).toBe(false);
  });
});

describe('installShutdown', () => {
  it('drains, runs onShutdown after the server closed, exits 0 and can be uninstalled', async () => {
    const app = await buildApp();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const exit = vi.fn();
    const listeners = process.listenerCount('SIGTERM');
    let listeningAtShutdown: boolean | undefined;
    const handle = installShutdown(app, {
      logger: silentLogger(),
      exit,
      onShutdown: async () => {
        listeningAtShutdown = app.server.listening;
      },
    });
    expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);

    await handle.shutdown('SIGTERM');
    handle.uninstall();
    expect(listeningAtShutdown).toBe(false);
    expect(exit.mock.calls).toEqual([[0]]);
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
  });

  it('exits at once with 1 on a second request, and a failing onShutdown exits 1', async () => {
    const app = await buildApp();
    const exit = vi.fn();
    const hold = gate();
    const handle = installShutdown(app, {
      logger: silentLogger(),
      exit,
      onShutdown: () => hold.wait.then(() => Promise.reject(new Error('pool'))),
    });
    const first = handle.shutdown('SIGTERM');
    await handle.shutdown('SIGINT');
    expect(exit.mock.calls).toEqual([[1]]);
    hold.release();
    await first;
    handle.uninstall();
    // The first verdict stands: the late failure does not exit a second time.
    expect(exit.mock.calls).toEqual([[1]]);

    const other = await buildApp();
    const otherExit = vi.fn();
    const otherHandle = installShutdown(other, {
      logger: silentLogger(),
      exit: otherExit,
      onShutdown: () => Promise.reject(new Error('pool')),
    });
    await otherHandle.shutdown('SIGTERM');
    otherHandle.uninstall();
    expect(otherExit.mock.calls).toEqual([[1]]);
  });
});
