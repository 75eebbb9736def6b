import { connect } from 'node:net';
import { signRequest, type SigningCredentials, type SigningScope } from '@tributary/platform/auth';
import { identityHeaders } from '@tributary/platform/auth';

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  /** 0 when the server closed, reset or timed out without a status line. */
  status: number;
  requestId: string | undefined;
  /** The error body's `code`, when there is one. */
  code: string | undefined;
  retryAfter: string | undefined;
  error?: string;
}

/**
 * One request over a fresh socket, written byte for byte: HTTP clients refuse to send the
 * control characters and raw bytes the fuzzer needs in paths and headers.
 */
export function sendRaw(baseUrl: string, request: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const lines = [`${request.method} ${request.path} HTTP/1.1`, 'connection: close'];
  if (!Object.keys(request.headers).some((name) => name.toLowerCase() === 'host')) lines.push(`host: ${url.host}`);
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  if (request.body !== undefined) lines.push(`content-length: ${request.body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect(Number(url.port), url.hostname);
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), error));
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('connect', () => {
      socket.write(head);
      if (request.body !== undefined) socket.write(request.body);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // A reset after the answer was written is the server refusing the rest of the upload: fine.
    socket.on('error', (error) => finish(error.message));
  });
}

function parse(raw: Buffer, error: string | undefined): RawResponse {
  const text = raw.toString('latin1');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const header = (name: string) => new RegExp(`^${name}: *(.*)$`, 'im').exec(head)?.[1]?.trim();
  const code = /"code"\s*:\s*"([A-Za-z0-9_.:-]+)"/.exec(text.slice(end))?.[1];
  return {
    status: match ? Number(match[1]) : 0,
    requestId: header('x-request-id'),
    code,
    retryAfter: header('retry-after'),
    ...(match ? {} : { error: error ?? 'no status line' }),
  };
}

export interface Signer {
  credentials: SigningCredentials;
  scope: SigningScope;
  identity?: { user?: string; roles?: string[] };
}

/**
 * Signs as a peer service would (SigV4 over method, path, query, headers and body). Headers the
 * signer cannot take (raw control bytes) are added after signing, as an attacker on the wire would.
 */
export async function signRaw(baseUrl: string, request: RawRequest, signer: Signer): Promise<{ request: RawRequest; signed: boolean }> {
  const signable: Record<string, string> = { ...(signer.identity ? identityHeaders(signer.identity) : {}) };
  const unsigned: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (/^[\x20-\x7e]*$/.test(value) && !name.startsWith('x-tributary-')) signable[name] = value;
    else unsigned[name] = value;
  }
  try {
    const headers = await signRequest(
      {
        method: request.method,
        url: `${baseUrl}${request.path}`,
        headers: signable,
        ...(request.body !== undefined ? { body: new Uint8Array(request.body) } : {}),
      },
      signer.credentials,
      signer.scope,
    );
    return { request: { ...request, headers: { ...headers, ...unsigned } }, signed: true };
  } catch {
    // A path the signer refuses to canonicalise still goes out, unsigned: it must be a 4xx.
    return { request: { ...request, headers: { ...signable, ...unsigned } }, signed: false };
  }
}
