import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { publicAccess, type HttpApp } from '@tributary/platform/http';
import { GatewayError } from '../../errors.js';
import { type ConsoleFile, loadConsoleFiles } from './console-files.js';

/**
 * The kiosk pages talk to the device bridge on the kiosk machine (`tributary devices`, its
 * default address); CONSOLE_DEVICE_BRIDGE names another one (space- or comma-separated ws:// or
 * wss:// origins). Nothing else beyond this origin is reachable from the page.
 */
export const DEFAULT_DEVICE_BRIDGE = 'ws://127.0.0.1:4100 ws://localhost:4100';
const BRIDGE_ORIGIN = /^wss?:\/\/[A-Za-z0-9.[\]:-]+$/;

export function deviceBridgeSources(setting: string | undefined): string[] {
  const sources = (setting || DEFAULT_DEVICE_BRIDGE).split(/[\s,]+/).filter((source) => source.length > 0);
  const bad = sources.filter((source) => !BRIDGE_ORIGIN.test(source));
  // A typo here would silently cut the kiosk off its devices, so it stops the gateway instead.
  if (bad.length > 0) throw new Error(`CONSOLE_DEVICE_BRIDGE has ${bad.join(', ')}, which is not a ws:// or wss:// origin`);
  return sources;
}

/**
 * The console runs only its own bundled script and styles and talks only to this origin and the
 * device bridge; it may not be framed (clickjacking) and needs no plugins, forms to elsewhere, or <base>.
 */
export const consoleCsp = (bridge: readonly string[]) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${bridge.join(' ')}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

function send(request: FastifyRequest, reply: FastifyReply, file: ConsoleFile, csp: string) {
  reply
    .header('content-security-policy', csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('etag', file.etag)
    // The page itself is revalidated every time, so a new build reaches a kiosk left open.
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.type(file.type).send(file.body);
}

/**
 * Serves the built console (CONSOLE_DIR, which `tributary up` sets after building it) at `/`.
 * Pages are addressed in the URL fragment, so the only paths taken here are `/` and the build's
 * own files: every API path, legacy MTP paths at the root included, still reaches the proxy.
 * Public: the files hold no data, and every call the page makes is authorised on its own.
 */
export async function registerConsole(app: HttpApp, deps: { env: Record<string, string | undefined> }): Promise<void> {
  const dir = deps.env.CONSOLE_DIR;
  const access = publicAccess('the console build is static files with no data in them');
  if (!dir || !existsSync(join(dir, 'index.html'))) return;
  const csp = consoleCsp(deviceBridgeSources(deps.env.CONSOLE_DEVICE_BRIDGE));
  const files = await loadConsoleFiles(dir);
  const index = files.get('/index.html')!;
  app.get('/', { config: { access }, schema: { hide: true } }, async (request, reply) => send(request, reply, index, csp));
  for (const [url, file] of files) {
    if (url === '/index.html') continue;
    app.get(url, { config: { access }, schema: { hide: true } }, async (request, reply) => send(request, reply, file, csp));
  }
  // A stale tab asking for an asset of an older build gets a plain 404, not the proxy's answer.
  app.get('/assets/*', { config: { access }, schema: { hide: true } }, async () => {
    throw GatewayError.ROUTE_NOT_FOUND('This file is not part of the console build');
  });
}
