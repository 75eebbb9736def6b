import { ANY_ROLE } from './policy.js';
import type { RouteInput } from './routes.repository.js';

/** Who may call the erp data the original Harsha clients read: the erp catch-all's roles. */
const ERP_ROLES = ['manager', 'analyst', 'integration'];

type Row = [method: string, pattern: string, upstream: string];

/**
 * The original Harsha gateway's business paths, each sent to the erp path that serves it
 * (the original reached ERPNext's resource API; Tributary's erp keeps the data). Where erp has
 * no endpoint of the original's name, the nearest real one serves it (see the gateway README).
 */
const ERP_ROWS: Row[] = [
  ['GET', '/api/v1/customers', '/customers'],
  ['GET', '/api/v1/customers/*', '/customers/*'],
  ['GET', '/api/v1/items', '/items'],
  ['GET', '/api/v1/items/*', '/items/*'],
  // Stock levels and batch information live in erp's batch ledger.
  ['GET', '/api/v1/inventory/stock-levels', '/batches'],
  ['GET', '/api/v1/inventory/batch-info', '/batches'],
  ['GET', '/api/v1/inventory/batches', '/batches'],
  ['GET', '/api/v1/inventory/batches/*', '/batches/*'],
  ['ANY', '/api/v1/pricing/*', '/pricing/*'],
  ['GET', '/api/v1/orders', '/orders'],
  // Placing an order: erp's processing (validate, reserve, price, store); erp has no bare POST /orders.
  ['POST', '/api/v1/orders', '/orders/process'],
  // The original proxy: what no pre-handler takes is the erp path after the prefix.
  ['ANY', '/api/v1/proxy/*', '/*'],
];

/** The original sync service's paths, forwarded as they are. */
const SYNC_ROWS: Row[] = [
  ['ANY', '/api/sync/*', '/api/sync/*'],
  ['ANY', '/webhooks/*', '/webhooks/*'],
];

/** Socket.IO's one path (`/socket.io/`): the gateway's real-time route sends it nowhere else. */
const SOCKET_ROW: Row = ['ANY', '/socket.io/*', '/socket.io/'];

export function harshaRoutes(): RouteInput[] {
  const row =
    (service: string, roles: string[] | null, auth: boolean) =>
    ([method, pattern, upstream]: Row): RouteInput => ({
      serviceName: service,
      upstreamUrl: `peer:${service}`,
      upstreamAuth: 'sigv4',
      healthCheckUrl: '/health/live',
      timeoutSeconds: 30,
      httpMethod: method,
      pathPattern: pattern,
      upstreamPath: upstream,
      routeName: `Harsha ${method} ${pattern}`,
      authenticationRequired: auth,
      authorizationRoles: roles,
      // Above the versioned catch-alls: /api/v1/orders (exact) is erp's, /api/v1/orders/… stays orders'.
      priority: 20,
    });
  return [
    ...ERP_ROWS.map(row('erp', ERP_ROLES, true)),
    ...SYNC_ROWS.filter(([, pattern]) => pattern.startsWith('/api/')).map(row('sync', ['integration'], true)),
    // Webhook senders (ERPNext, EspoCRM, Medusa) hold no gateway credential; sync checks their signatures itself.
    ...SYNC_ROWS.filter(([, pattern]) => pattern.startsWith('/webhooks/')).map(row('sync', null, false)),
    // Every signed-in user may listen; sync decides which rooms each role may join.
    row('sync', [ANY_ROLE], true)(SOCKET_ROW),
  ];
}
