import { Type } from '@sinclair/typebox';
import { ownCredentialAccess, routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import type { EdgeDeps } from '../../deps.js';
import { proxyRequest } from '../../edge/pipeline.js';
import { GatewayError } from '../../errors.js';
import { handshakeConsumer, SOCKET_PATH, upstreamQuery } from './handshake.js';
import { tunnel } from './tunnel.js';
import { pendingUpgrade, upgradesThroughRouter, type UpgradeListener } from './upgrades.js';

const route = routeOptionsFor(['realtime']);
const HANDSHAKE = ownCredentialAccess(
  "the handshake's access token (Authorization: Bearer or ?token=), checked here; the matched service route carries the roles",
);

/**
 * Sync's Socket.IO channel through the gateway (ADR 0409): WebSocket upgrades and Socket.IO's
 * long-polling requests at /socket.io/ go through the ordinary proxy pipeline — the route row,
 * the handshake token (valid and unrevoked), the limits, the roles, the internal-path gate and
 * the audit row — and then to sync. Any other upgrade is refused. Returns the listener for
 * 'upgrade' events, which every listener of the gateway (plain and TLS) must be given.
 */
export function registerRealtime(app: HttpApp, deps: EdgeDeps): UpgradeListener {
  app.addHook('onRequest', async (request) => {
    if (!pendingUpgrade(request.raw)) return;
    const websocket = String(request.headers.upgrade ?? '').toLowerCase() === 'websocket';
    if (!websocket || request.method !== 'GET' || request.url.split('?', 1)[0] !== SOCKET_PATH)
      throw GatewayError.UPGRADE_NOT_SUPPORTED(`Only a WebSocket at ${SOCKET_PATH} may be opened through the gateway`);
  });

  app.route({
    method: ['GET', 'POST'],
    url: SOCKET_PATH,
    ...route(HANDSHAKE, 'Socket.IO: a WebSocket upgrade or a long-polling request, sent on to sync once the handshake token passes', {
      response: { default: Type.Unknown() },
    }),
    handler: async (request, reply) => {
      const upgrade = pendingUpgrade(request.raw);
      return proxyRequest(deps, request, reply, {
        path: SOCKET_PATH,
        rawQuery: upstreamQuery(request),
        authenticate: () => handshakeConsumer(deps.auth, request),
        ...(upgrade ? { takeOver: (admitted) => tunnel(deps.upstreams, request, reply, upgrade, admitted) } : {}),
      });
    },
  });
  return upgradesThroughRouter(app);
}
