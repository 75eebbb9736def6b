import type { TestGateway } from './support.js';

export interface Answer {
  status: number;
  headers: Headers;
  // Responses are JSON of many shapes; tests assert on the fields they read.
  body: Record<string, unknown> & { success?: boolean; data?: Record<string, unknown>; code?: string; error?: string };
}

export interface HarshaClient {
  /** The gateway's origin, for calls that do not answer JSON. */
  base: string;
  call(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<Answer>;
}

/** Talks to the gateway over a real socket, the way the original clients (axios, fetch) do. */
export async function harshaClient(gateway: TestGateway): Promise<HarshaClient> {
  return harshaClientAt(await gateway.app.listen({ host: '127.0.0.1', port: 0 }));
}

/** The same for a gateway already listening at `base`. */
export function harshaClientAt(base: string): HarshaClient {
  return {
    base,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { accept: 'application/json, text/plain, */*', ...options.headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Answer['body']) : {} };
    },
  };
}
