import { Type } from '@sinclair/typebox';
import { publicAccess, routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import type { EdgeDeps } from '../../deps.js';
import { proxyRequest, type ProxyTarget } from '../../edge/pipeline.js';
import { GatewayError } from '../../errors.js';

// As for every proxied path, the route row the request reaches carries its roles, and the edge pipeline enforces them.
const PROXIED = publicAccess('proxied: the matched service route decides, with the roles it carries');
const Forwarded = { default: Type.Unknown() };
const route = routeOptionsFor(['proxy']);

function rawQueryOf(url: string): string {
  const mark = url.indexOf('?');
  return mark === -1 ? '' : url.slice(mark + 1);
}

/** The original order body's problems, each named, as the original's ORDER_VALIDATION_ERROR listed them. */
function orderProblems(body: unknown): string[] {
  const order = (body ?? {}) as { customer?: unknown; items?: unknown };
  const problems: string[] = [];
  if (typeof order.customer !== 'string' || order.customer.trim() === '') problems.push('customer is required');
  if (!Array.isArray(order.items) || order.items.length === 0) problems.push('items must be a non-empty list');
  else
    order.items.forEach((item: unknown, index) => {
      const qty = Number((item as { qty?: unknown } | null)?.qty);
      if (!Number.isFinite(qty) || qty <= 0) problems.push(`items[${index}].qty must be greater than 0`);
    });
  return problems;
}

/** A read keyed by one path segment, sent on to the erp path `target` builds from it. */
interface KeyedRead {
  path: string;
  /** The segment's name in `path` (and in the published document). */
  param: string;
  summary: string;
  target: (key: string) => ProxyTarget;
}

function keyedRead(app: HttpApp, deps: EdgeDeps, read: KeyedRead): void {
  app.get(
    read.path,
    route(PROXIED, read.summary, {
      params: Type.Object({ [read.param]: Type.String({ minLength: 1, maxLength: 140 }) }),
      response: Forwarded,
    }),
    async (request, reply) => proxyRequest(deps, request, reply, read.target(request.params[read.param] ?? '')),
  );
}

/**
 * The original gateway's pre-handlers under /api/v1/proxy. Each sends the request through the
 * ordinary proxy (route match, authentication, limits, roles, signing, audit) to the erp path
 * that serves it; the rest of /api/v1/proxy/* is a plain route row.
 */
export function registerHarshaProxyRoutes(app: HttpApp, deps: EdgeDeps): void {
  keyedRead(app, deps, {
    path: '/api/v1/proxy/customers/:customerId/pricing',
    param: 'customerId',
    summary: "The customer's pricing terms from their primary segment in force today; X-Customer-Segment names it",
    target: (customerId) => ({
      path: `/api/v1/customers/${encodeURIComponent(customerId)}/segments/primary`,
      rawQuery: '',
      fromBody: (status, body) => {
        const code = (body as { segment?: { segment_code?: unknown } } | undefined)?.segment?.segment_code;
        // The real segment, or none: never a made-up default.
        return { 'x-customer-segment': status === 200 && typeof code === 'string' ? code : 'none' };
      },
    }),
  });

  app.get(
    '/api/v1/proxy/inventory/batches/expiring',
    route(PROXIED, 'Batches with stock expiring within `days` (default 30)', {
      querystring: Type.Object({ days: Type.Integer({ minimum: 0, maximum: 3650, default: 30 }) }),
      response: Forwarded,
    }),
    async (request, reply) =>
      proxyRequest(deps, request, reply, { path: '/api/v1/inventory/batches/expiring', rawQuery: `within_days=${request.query.days}` }),
  );

  keyedRead(app, deps, {
    path: '/api/v1/proxy/inventory/realtime/:itemCode',
    param: 'itemCode',
    summary: "An item's batches with stock, read live (never cached); X-Real-Time: true",
    target: (itemCode) => ({
      path: '/api/v1/inventory/batches',
      rawQuery: `item=${encodeURIComponent(itemCode)}`,
      headers: { 'cache-control': 'no-cache, no-store, must-revalidate', 'x-real-time': 'true' },
    }),
  });

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/v1/proxy/*',
    ...route(PROXIED, 'Any other original proxy path: the erp path after the prefix', { response: Forwarded }),
    handler: async (request, reply) =>
      proxyRequest(deps, request, reply, { path: request.url.split('?', 1)[0] ?? '/', rawQuery: rawQueryOf(request.url) }),
  });

  app.post(
    '/api/v1/proxy/orders/process',
    route(PROXIED, 'Check the order (a customer, non-empty items, each qty > 0), then have erp process it', {
      body: Type.Unknown(),
      response: Forwarded,
    }),
    async (request, reply) =>
      proxyRequest(deps, request, reply, {
        path: '/api/v1/proxy/orders/process',
        rawQuery: rawQueryOf(request.url),
        beforeForward: () => {
          const problems = orderProblems(request.body);
          if (problems.length > 0) throw GatewayError.ORDER_VALIDATION_ERROR(problems.join('; '), { details: { problems } });
        },
      }),
  );
}
