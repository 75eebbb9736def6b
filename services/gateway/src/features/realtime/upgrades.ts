import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HttpApp } from '@tributary/platform/http';

/** A client's upgrade request while the gateway decides on it: its socket and the bytes read past the head. */
export interface PendingUpgrade {
  socket: Duplex;
  head: Buffer;
}

export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

const pending = new WeakMap<IncomingMessage, PendingUpgrade>();

export function pendingUpgrade(request: IncomingMessage): PendingUpgrade | undefined {
  return pending.get(request);
}

/**
 * Node hands a request with `Upgrade` to the server's 'upgrade' listeners and never to the
 * router. This listener sends it through the router all the same, with a response written on
 * the client's socket, so every edge hook (limits, audit, errors mapped to HTTP) applies to it
 * as to any request. A refusal is the socket's only answer: it is closed once the answer is out.
 */
export function upgradesThroughRouter(app: HttpApp): UpgradeListener {
  const open = new Set<Duplex>();
  // The server's close waits for every socket it accepted, upgraded ones included: shutting down ends them first.
  app.addHook('preClose', async () => {
    for (const socket of open) socket.destroy();
  });
  return (request, socket, head) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    pending.set(request, { socket, head });
    socket.on('error', () => socket.destroy());
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    // The 'upgrade' event types the socket as a stream; Node gives a net.Socket (or TLS socket).
    response.assignSocket(socket as Socket);
    response.once('finish', () => {
      if (response.statusCode !== 101) socket.end();
    });
    app.routing(request, response);
  };
}
