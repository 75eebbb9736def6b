import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import { downstreamHeaders } from '@tributary/platform/http';
import type { AdmittedRequest } from '../../edge/pipeline.js';
import { GatewayError } from '../../errors.js';
import { clientHeaders } from '../routing/proxy.js';
import type { Upstreams } from '../routing/upstreams.js';
import type { PendingUpgrade } from './upgrades.js';

/** What the client learns of the upstream's handshake answer: the WebSocket negotiation, nothing else. */
const SWITCHING = ['sec-websocket-accept', 'sec-websocket-extensions', 'sec-websocket-protocol'];

function switchingHeaders(upstream: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = { connection: 'Upgrade', upgrade: 'websocket' };
  for (const name of SWITCHING) {
    const value = upstream[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Either side closing or failing closes both: a half-open tunnel would hold a sync connection for nobody. */
function join(client: Duplex, head: Buffer, upstream: Duplex): void {
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  for (const side of [client, upstream]) {
    side.once('error', close);
    side.once('close', close);
  }
  // The client may have gone while the upstream was answering: its 'close' has been and gone.
  if (client.destroyed) return close();
  if (head.length > 0) upstream.write(head);
  upstream.pipe(client);
  client.pipe(upstream);
}

/**
 * Opens the WebSocket to one target of the admitted route (the route's undici pool, so its TLS
 * settings and certificate checks apply), answers the client's handshake with the upstream's
 * 101 and joins the two sockets. The 101 is written through the request's response, so the
 * audit hook records the connection like any answer.
 */
export async function tunnel(
  upstreams: Upstreams,
  request: FastifyRequest,
  reply: FastifyReply,
  client: PendingUpgrade,
  { route, upstreamPath, rawQuery }: AdmittedRequest,
): Promise<void> {
  const permit = upstreams.breakerFor(route)?.acquire();
  const target = upstreams.pick(route);
  if (!target) {
    permit?.release();
    throw GatewayError.UPSTREAM_NOT_CONFIGURED(`No upstream target is configured for ${route.serviceName}`);
  }
  let upgraded: Dispatcher.UpgradeData;
  try {
    upgraded = await target.pool.upgrade({
      path: `${target.basePath}${upstreamPath}${rawQuery ? `?${rawQuery}` : ''}`,
      method: 'GET',
      protocol: 'websocket',
      headers: { ...clientHeaders(request), ...downstreamHeaders(request) },
      signal: AbortSignal.timeout(route.timeoutMs),
    });
  } catch (error) {
    // An answer other than 101 is the upstream refusing this handshake, not the upstream failing.
    if (error instanceof undiciErrors.SocketError && error.message === 'bad upgrade') {
      upstreams.report(route, target, true);
      permit?.release();
      throw GatewayError.UPGRADE_REFUSED(`Upstream ${route.serviceName} refused the WebSocket handshake`);
    }
    upstreams.report(route, target, false);
    permit?.failure();
    throw GatewayError.UPSTREAM_UNAVAILABLE(`Upstream ${route.serviceName} is unreachable`, { cause: error });
  }
  upstreams.report(route, target, true);
  permit?.success();
  request.edge.upstreamUrl = target.url;
  reply.hijack();
  reply.raw.writeHead(101, switchingHeaders(upgraded.headers));
  reply.raw.end();
  join(client.socket, client.head, upgraded.socket);
}
