import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { verifySigV4 } from '../auth/index.js';
import { createServiceClient, type ServiceClient } from './client.js';
import { sendJson, startServer, type RecordedRequest, type TestServer } from './test-support.js';
import { UpstreamError } from './upstream-error.js';

const credentials = { accessKeyId: 'AKIDORDERS', secretAccessKey: 'orders-secret-key' };
const scope = { region: 'us-east-1', service: 'execute-api' };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((fn) => fn()));
});

async function server(handler?: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const started = await startServer(handler);
  cleanup.push(() => started.close());
  return started;
}

function client(options: Parameters<typeof createServiceClient>[0]): ServiceClient {
  const created = createServiceClient(options);
  cleanup.push(() => created.close());
  return created;
}

function verify(req: RecordedRequest) {
  const [path = '', rawQuery = ''] = req.url.split('?', 2);
  return verifySigV4(
    { method: req.method, path, rawQuery, headers: req.headers, body: req.body },
    {
      ...scope,
      lookup: (id) => (id === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey, principal: 'orders' } : undefined),
    },
  );
}

describe('createServiceClient', () => {
  it('signs the request (verified by the auth module) and sends identity, request id, trace and idempotency headers', async () => {
    let verified: Awaited<ReturnType<typeof verify>> | undefined;
    const upstream = await server(async (req, res) => {
      verified = await verify(req);
      sendJson(res, 201, { id: 'lot-1' });
    });
    const erp = client({ name: 'erp', baseUrl: upstream.url, credentials });

    const response = await erp.request({
      method: 'POST',
      path: '/lots',
      query: { site: 'Nantes Nord', tag: ['a b', 'c*'], draft: false, skip: undefined },
      body: { sku: 'FLOUR-25', qty: 3, note: 'crème' },
      identity: { user: 'zoë@example.com', roles: ['planner', 'qa'], apiKeyId: 'key-7' },
      requestId: 'req-123',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      idempotencyKey: 'idem-1',
      // Forwarded wholesale by a proxying caller: hop-by-hop ones must be dropped, not signed.
      headers: { 'X-Custom': 'yes', Connection: 'keep-alive', 'Content-Length': '999', Host: 'elsewhere' },
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: 'lot-1' });
    expect(verified?.principal).toBe('orders');
    const [seen] = upstream.requests;
    expect(seen?.url).toBe('/lots?site=Nantes%20Nord&tag=a%20b&tag=c%2A&draft=false');
    expect(seen?.body.toString('utf8')).toBe(JSON.stringify({ sku: 'FLOUR-25', qty: 3, note: 'crème' }));
    expect(seen?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-tributary-user': encodeURIComponent('zoë@example.com'),
      'x-tributary-roles': 'planner,qa',
      'x-tributary-key-id': 'key-7',
      'x-request-id': 'req-123',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'idempotency-key': 'idem-1',
      'x-custom': 'yes',
    });
    for (const name of [
      'x-tributary-user',
      'x-tributary-roles',
      'x-request-id',
      'traceparent',
      'idempotency-key',
      'content-type',
      'x-custom',
    ]) {
      expect(verified?.signedHeaders).toContain(name);
    }
  });

  it('a tampered body fails verification, proving the sent bytes are the signed bytes', async () => {
    const upstream = await server(async (req, res) => {
      const tampered = { ...req, body: Buffer.from(req.body.toString('utf8').replace('3', '4')) };
      const outcome = await verify(tampered).then(
        () => 'accepted',
        (e: AppError) => e.code,
      );
      sendJson(res, 200, { outcome });
    });
    const erp = client({ name: 'erp', baseUrl: upstream.url, credentials });
    const body = await erp.json<{ outcome: string }>({ method: 'PUT', path: '/lots/1', body: { qty: 3 } });
    expect(body.outcome).toMatch(/^AUTH_(PAYLOAD_HASH|SIGNATURE)_MISMATCH$/);
  });

  it('keeps a path prefix from baseUrl and sends unsigned when no credentials are given', async () => {
    const upstream = await server((_req, res) => sendJson(res, 200, []));
    const erp = client({ name: 'erp', baseUrl: `${upstream.url}/api/v2/`, connections: 2 });
    await expect(erp.json({ method: 'GET', path: '/lots' })).resolves.toEqual([]);
    expect(upstream.requests[0]?.url).toBe('/api/v2/lots');
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('request() returns non-2xx answers; json() throws an UpstreamError keeping status, code, message, details and body', async () => {
    const errorBody = { code: 'ORDER_ALREADY_SHIPPED', message: 'order 42 has shipped', details: { orderId: '42' } };
    const upstream = await server((_req, res) => sendJson(res, 409, errorBody));
    const orders = client({ name: 'orders', baseUrl: upstream.url });

    const response = await orders.request({ method: 'POST', path: '/orders/42/cancel' });
    expect(response).toMatchObject({ status: 409, body: errorBody });
    expect(response.headers['content-type']).toBe('application/json');

    const error = await orders.json({ method: 'POST', path: '/orders/42/cancel' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      status: 409,
      category: 'conflict',
      code: 'ORDER_ALREADY_SHIPPED',
      message: 'order 42 has shipped',
      details: { orderId: '42' },
      upstream: 'orders',
      body: errorBody,
    });
  });

  it('UpstreamError keeps a 502 as 502 and falls back to a synthetic code for bodies without one', async () => {
    const upstream = await server((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway</h1>');
    });
    const erp = client({ name: 'erp', baseUrl: upstream.url, retry: { maxAttempts: 1, baseMs: 1, capMs: 1 } });
    const error = await erp.json({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'UPSTREAM_HTTP_502', body: '<h1>Bad gateway</h1>' });
  });

  it('a stopped upstream gives 503 UPSTREAM_UNAVAILABLE', async () => {
    const upstream = await startServer();
    const url = upstream.url;
    await upstream.close();
    const erp = client({ name: 'erp', baseUrl: url, retry: { maxAttempts: 2, baseMs: 1, capMs: 5 } });
    const error = await erp.request({ method: 'GET', path: '/lots' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', category: 'unavailable', status: 503 });
    expect((error as AppError).details).toMatchObject({ upstream: 'erp', reason: 'ECONNREFUSED' });
  });

  it('a malformed JSON answer is reported, not passed off as the typed body', async () => {
    const upstream = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"truncated":');
    });
    const erp = client({ name: 'erp', baseUrl: upstream.url });
    await expect(erp.json({ method: 'GET', path: '/x' })).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('serves many sequential calls over one kept-alive connection (bodies are consumed) and refuses calls after close()', async () => {
    const upstream = await server((req, res) => sendJson(res, 200, { n: Number(req.url.split('=')[1]) }));
    const erp = createServiceClient({ name: 'erp', baseUrl: upstream.url, connections: 1 });
    for (let n = 0; n < 50; n++) {
      await expect(erp.json({ method: 'GET', path: '/n', query: { n } })).resolves.toEqual({ n });
    }
    await erp.close();
    await expect(erp.request({ method: 'GET', path: '/n' })).rejects.toMatchObject({ code: 'SERVICE_CLIENT_CLOSED' });
    expect(upstream.hits).toBe(50);
    expect(upstream.connections).toBe(1);
  });
});
