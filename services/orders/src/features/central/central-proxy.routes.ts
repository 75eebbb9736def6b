import { Type } from '@sinclair/typebox';
import type { HttpApp } from '@tributary/platform/http';
import type { FastifyReply } from 'fastify';
import type { QueryParams, ServiceMethod } from '@tributary/platform/resilience';
import { guard } from '../../access.js';
import type { CentralProxyDeps } from '../../deps.js';
import { clientOf, forward, type Central } from './central.service.js';

/** Answers hop and framing headers; everything else of processing's answer is the caller's. */
const KEPT_RESPONSE_HEADERS = [
  'content-type',
  'retry-after',
  'idempotent-replayed',
  'x-tributary-stale',
  'x-tributary-stale-as-of',
  'x-tributary-stale-reason',
  'content-disposition',
];

/**
 * `ANY /central/*` → processing `/app/*`: the original central-handler's generic pass-through.
 * Method, query string and JSON body go through as they are; processing's status, body (errors
 * included, code and details unchanged) and content type come back as they are. A write carries
 * the caller's Idempotency-Key (or one derived from the request id), so the client may retry it.
 */
export function registerCentralProxyRoute(app: HttpApp, deps: CentralProxyDeps): void {
  const central: Central = { client: deps.processing };
  for (const withBody of [false, true]) {
    app.route({
      method: withBody ? ['POST', 'PUT', 'PATCH'] : ['GET', 'DELETE'],
      url: '/central/*',
      config: { access: guard(deps.config, 'central') },
      schema: {
        tags: ['processing'],
        summary: 'Any processing /app/* endpoint, passed through (method, query, body, status and error body preserved)',
        // Any parameter, each once or repeated. An open object rather than a record: OpenAPI has no
        // parameter for "any name", and a record's pattern would be documented as parameters of its own.
        querystring: Type.Object({}, { additionalProperties: Type.Union([Type.String(), Type.Array(Type.String())]) }),
        ...(withBody ? { body: Type.Unknown() } : {}),
        // No response schema: processing's answer is sent byte for byte with its own status.
      },
      handler: async (request, reply) => {
        const client = clientOf(central);
        // The raw path keeps the caller's encoding (an id holding %2F stays one segment).
        const path = `/app${request.url.split('?')[0]!.slice('/central'.length)}`;
        const method = request.method as ServiceMethod;
        const header = request.headers['idempotency-key'];
        const write = method !== 'GET' && method !== 'DELETE';
        const answer = await client.request({
          method,
          path,
          query: request.query as QueryParams,
          ...(request.body !== undefined && method !== 'GET' ? { body: request.body } : {}),
          ...(write ? { idempotencyKey: typeof header === 'string' ? header : `central:${request.id}` } : {}),
          ...forward(request),
        });
        for (const name of KEPT_RESPONSE_HEADERS) {
          const value = answer.headers[name];
          if (value !== undefined) void reply.header(name, value);
        }
        void (reply as FastifyReply).code(answer.status);
        return typeof answer.body === 'string' ? answer.body : answer.body === undefined ? '' : JSON.stringify(answer.body);
      },
    });
  }
}
