import { connect, type Socket } from 'node:net';

/*
 * A client that writes HTTP by hand, for tests about what a server does while a request is
 * still arriving (a dribbled body, an answer before the body): fetch and undici send the whole
 * request before reading, which is exactly what these tests must not do. Test support only.
 */

export interface RawExchange {
  socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves with everything received once the server closed the connection. */
  closed: Promise<string>;
  /** Resolves as soon as a complete response head has arrived. */
  head: Promise<string>;
}

export async function openRaw(origin: string, head: string): Promise<RawExchange> {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  let onHead: (value: string) => void = () => {};
  const headArrived = new Promise<string>((resolve) => (onHead = resolve));
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (text.includes('\r\n\r\n')) onHead(text);
  });
  // The server may reset the connection while we still write; that is an expected ending here.
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  socket.write(head);
  return { socket, received: () => text, closed, head: headArrived };
}

export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}

export function bodyOf(response: string): unknown {
  const start = response.indexOf('\r\n\r\n');
  return JSON.parse(response.slice(start + 4));
}
