import { publicAccess, type HttpApp } from '@tributary/platform/http';
import type { DocsDeps } from '../../deps.js';
import { ADMIN_ROLES } from '../admin/admin-guard.js';
import { SESSION_PUBLIC_PATHS } from '../console/session.routes.js';
import { mergeDocuments, type OpenApiDocument } from './merged-document.js';
import { PeerDocuments } from './peer-documents.js';

export const MERGED_DOCUMENT_PATH = '/api/v1/openapi.json';

/** The gateway's own routes that take no credential: signing in and the public keys. */
const OWN_PUBLIC = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/jwks',
  '/.well-known/jwks.json',
  ...SESSION_PUBLIC_PATHS,
]);

function ownRoles(path: string): readonly string[] | null {
  return path.startsWith('/api/v1/admin/') ? ADMIN_ROLES : null;
}

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
  app.addHook('onClose', async () => peers.close());

  app.get(MERGED_DOCUMENT_PATH, { config: { access: DOCS }, schema: { hide: true } }, async (request) => {
    const routes = deps.routes.routes();
    const services = await peers.documents(routes);
    return mergeDocuments({
      gateway: app.swagger() as unknown as OpenApiDocument,
      ownPublic: (path) => OWN_PUBLIC.has(path),
      ownRoles,
      routes,
      services,
      // The origin the client reached (forwarded headers count only behind a trusted proxy).
      serverUrl: `${request.protocol}://${request.host}`,
    });
  });
  app.get('/api/docs', { config: { access: DOCS }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  );
  app.get('/api/docs/init.js', { config: { access: DOCS }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(INIT),
  );
}
