import type { FastifyRequest } from 'fastify';
import { publicAccess, routeAccessList, type AccessRule, type HttpApp } from '@tributary/platform/http';
import type { DocsDeps } from '../../deps.js';
import { mergeDocuments, toOpenApiPath, type OpenApiDocument } from './merged-document.js';
import { PeerDocuments } from './peer-documents.js';

export const MERGED_DOCUMENT_PATH = '/api/v1/openapi.json';

// Swagger UI's assets are the kernel's (served under /docs/static); only the page and its start-up script are ours.
const DOCS = publicAccess('the API documentation of every service behind the gateway');

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tributary API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '${MERGED_DOCUMENT_PATH}', dom_id: '#swagger-ui', persistAuthorization: false });`;

/**
 * One OpenAPI document of everything the gateway answers at /api/v1/openapi.json, and a
 * Swagger UI on it at /api/docs, so an integrator can sign in once and try any route.
 */
export function registerApiDocs(app: HttpApp, deps: DocsDeps, options: { ttlMs?: number } = {}): void {
  const peers = new PeerDocuments(deps, options.ttlMs ?? 60_000);
  // Each own operation is documented with the rule its route declares, the one the kernel enforces.
  let declared: Map<string, AccessRule | undefined> | undefined;
  const ownAccess = (): Map<string, AccessRule | undefined> =>
    (declared ??= new Map(
      routeAccessList(app).map((route) => [`${route.method.toLowerCase()} ${toOpenApiPath(route.url)}`, route.access] as const),
    ));
  app.addHook('onClose', async () => peers.close());

  const merged = async (request: FastifyRequest) => {
    const routes = deps.routes.routes();
    const services = await peers.documents(routes);
    return mergeDocuments({
      gateway: app.swagger() as unknown as OpenApiDocument,
      ownAccess: (method, path) => ownAccess().get(`${method} ${path}`),
      routes,
      services,
      // The origin the client reached (forwarded headers count only behind a trusted proxy).
      serverUrl: `${request.protocol}://${request.host}`,
    });
  };
  app.get(MERGED_DOCUMENT_PATH, { config: { access: DOCS }, schema: { hide: true } }, merged);
  // Where the original gateway published its Swagger document.
  app.get('/api/docs.json', { config: { access: DOCS }, schema: { hide: true } }, merged);
  app.get('/api/docs', { config: { access: DOCS }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  );
  app.get('/api/docs/init.js', { config: { access: DOCS }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(INIT),
  );
}
