import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A real HTTP server on an ephemeral 127.0.0.1 port for this folder's tests: the client's
 * behaviour around sockets, resets and timeouts is exactly what a mock would hide.
 * Not exported from index.ts.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type TestHandler = (req: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  url: string;
  port: number;
  readonly hits: number;
  /** TCP connections accepted so far: shows whether keep-alive reuses sockets. */
  readonly connections: number;
  readonly requests: RecordedRequest[];
  setHandler(handler: TestHandler): void;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startServer(handler: TestHandler = (_req, res) => sendJson(res, 200, { ok: true })): Promise<TestServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const recorded: RecordedRequest = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      Promise.resolve(current(recorded, res, raw)).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { code: 'TEST_HANDLER_FAILED', message: String(error) });
      });
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get hits() {
      return requests.length;
    },
    get connections() {
      return connections;
    },
    requests,
    setHandler(next) {
      current = next;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Held-open requests (the "never answers" tests) would keep close() waiting forever.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** A promise with its resolve exposed, for holding a response until the test says so. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
