import { Writable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { AppError, conflict } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { createHttpApp, type HttpAppOptions } from './app.js';
import { errorResponseSchema } from './error-response.js';
import type { HttpApp } from './types.js';

/** Shared fixtures for the http tests; not exported from the package. */

/** An app closed when the test ends, with the demo routes unless `routes` says otherwise. */
export async function buildApp(overrides: Partial<HttpAppOptions> = {}, routes: (app: HttpApp) => void = demoRoutes): Promise<HttpApp> {
  const app = await createHttpApp({ name: 'test-service', version: '1.2.3', logger: silentLogger(), ...overrides });
  onTestFinished(() => app.close());
  routes(app);
  await app.ready();
  return app;
}

/** Listens on a free loopback port and returns the origin. */
export async function listen(app: HttpApp): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

export const OrderParams = Type.Object({ id: Type.String({ pattern: '^ord_[a-z0-9]+$' }) });
export const OrderQuery = Type.Object({ verbose: Type.Optional(Type.Boolean()) });
export const Order = Type.Object({ id: Type.String(), sku: Type.String(), quantity: Type.Integer() });
export const NewOrder = Type.Object({ sku: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1 }) });

export function demoRoutes(app: HttpApp): void {
  app.get(
    '/orders/:id',
    {
      schema: {
        tags: ['orders'],
        params: OrderParams,
        querystring: OrderQuery,
        response: { 200: Order, 400: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (request) => ({ id: request.params.id, sku: request.query.verbose ? 'FLOUR-25 (verbose)' : 'FLOUR-25', quantity: 1 }),
  );
  app.post('/orders', { schema: { body: NewOrder, response: { 201: Order } } }, async (request, reply) =>
    reply.status(201).send({ id: 'ord_1', ...request.body }),
  );
  // No schema: echoes what the parsers made of the body and the exact bytes.
  const echo = async (request: FastifyRequest) => ({
    body: Buffer.isBuffer(request.body) ? { buffer: request.body.toString('base64') } : (request.body ?? null),
    raw: request.rawBody?.toString('base64') ?? null,
  });
  app.post('/echo', echo);
  app.put('/anything', echo);
  app.get('/conflict', async () => {
    throw conflict('ORDER_ALREADY_SHIPPED', 'order ord_1 has shipped', { details: { orderId: 'ord_1' } });
  });
  app.get('/unavailable', async () => {
    throw new AppError('unavailable', 'UPSTREAM_UNAVAILABLE', 'erp is not answering', { headers: { 'Retry-After': '5' } });
  });
  app.get('/internal-fault', async () => {
    throw new AppError('internal', 'LEDGER_INCONSISTENT', 'ledger row 42 for tenant acme is corrupt', { details: { row: 42 } });
  });
  app.get('/boom', async () => {
    throw new Error('connect ECONNREFUSED db.internal:5432 password=hunter2');
  });
}

/** A debug-level logger whose lines the test can read back. */
/** A stream that parses every JSON line written to it into `lines`. */
export function lineSink(): { destination: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { destination, lines };
}

export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const { destination, lines } = lineSink();
  return { logger: pino({ level: 'debug' }, destination), lines };
}

/** Resolves when `release` is called: holds a handler in flight for as long as a test needs. */
export function gate(): { wait: Promise<void>; release: () => void } {
  let release!: () => void;
  const wait = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { wait, release };
}
