import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { createUser, gatewayBed, plainRoute, postRoute, tokenFor, type TestGateway } from './support.js';

/**
 * How upstream answers reach the client: small answers of a known size are read whole and sent
 * with their headers at once, the others are piped; either way the client gets the upstream's
 * bytes, and an upstream that breaks off a small answer gets the gateway's own error, not a cut body.
 */
const SMALL = JSON.stringify({ ok: true, note: 'a small answer' });
const LARGE = Buffer.alloc(200 * 1024, 'abcdefghij');
const CHUNKS = ['first,', 'second,', 'third'];

function rawUpstream(): Server {
  return createServer((request, response) => {
    switch (request.url) {
      case '/raw/small':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(SMALL), 'x-upstream': 'raw' });
        response.end(request.method === 'HEAD' ? undefined : SMALL);
        return;
      case '/raw/large':
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': LARGE.length });
        response.end(LARGE);
        return;
      case '/raw/chunked':
        response.writeHead(200, { 'content-type': 'text/plain' });
        for (const chunk of CHUNKS) response.write(chunk);
        response.end();
        return;
      case '/raw/broken':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 });
        response.write('{"cut":', () => response.socket?.destroy());
        return;
      default:
        response.writeHead(404).end();
    }
  });
}

for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: upstream answers through the gateway`, () => {
    const bed = gatewayBed(target);
    const upstream = rawUpstream();
    let gw: TestGateway;

    beforeAll(async () => {
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      gw = await bed.gateway();
      await createUser(gw, 'root', 'administrator', 'unlimited');
      const admin = await tokenFor(gw, 'root');
      for (const method of ['GET', 'HEAD']) {
        const response = await postRoute(
          gw,
          admin,
          plainRoute('/raw/*', 'raw', url, { httpMethod: method, authenticationRequired: false, retryAttempts: 0 }),
        );
        expect(response.statusCode, response.body).toBe(201);
      }
      await gw.deps.routeLoader.reload();
    });
    afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

    it('passes a small answer through whole, with its headers', async () => {
      const response = await gw.app.inject({ method: 'GET', url: '/raw/small' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(SMALL);
      expect(response.headers['content-length']).toBe(String(Buffer.byteLength(SMALL)));
      expect(response.headers['x-upstream']).toBe('raw');
    });

    it("answers HEAD with the upstream's length and no body", async () => {
      const response = await gw.app.inject({ method: 'HEAD', url: '/raw/small' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-length']).toBe(String(Buffer.byteLength(SMALL)));
      expect(response.rawPayload.length).toBe(0);
    });

    it('pipes a large answer and an unsized one byte for byte', async () => {
      const large = await gw.app.inject({ method: 'GET', url: '/raw/large' });
      expect(large.statusCode).toBe(200);
      expect(large.rawPayload.equals(LARGE)).toBe(true);
      const chunked = await gw.app.inject({ method: 'GET', url: '/raw/chunked' });
      expect(chunked.statusCode).toBe(200);
      expect(chunked.body).toBe(CHUNKS.join(''));
    });

    it('answers 503 UPSTREAM_UNAVAILABLE when the upstream breaks off a small answer', async () => {
      const response = await gw.app.inject({ method: 'GET', url: '/raw/broken' });
      expect(response.statusCode).toBe(503);
      expect(response.json(), response.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    });
  });
}
