import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { HttpApp } from '@tributary/platform/http';
import type { GatewayConfig } from '../config.js';
import type { UpgradeListener } from '../features/realtime/upgrades.js';

/**
 * TLS termination: when a certificate is configured, an HTTPS listener on TLS_PORT feeds the
 * same Fastify router as the plain listener (hooks, auth, audit all apply). The kernel's
 * createHttpApp builds a plain HTTP server, so the HTTPS one is attached beside it.
 * TLS 1.3 only: every client Tributary supports speaks it, and 1.2's CBC suites, renegotiation
 * and non-forward-secret key exchanges go with it.
 */
export interface TlsListener {
  /** The bound port once listening (TLS_PORT may be 0). */
  port(): number | undefined;
}

const TLS_HEADERS_TIMEOUT_MS = 10_000;
const TLS_REQUEST_TIMEOUT_MS = 30_000;

export function attachTls(app: HttpApp, config: GatewayConfig, host = '0.0.0.0', upgrades?: UpgradeListener): TlsListener | undefined {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return undefined;
  const options = {
    cert: readFileSync(config.TLS_CERT_FILE),
    key: readFileSync(config.TLS_KEY_FILE),
    minVersion: 'TLSv1.3' as const,
    // This server is not the kernel's, so it needs its own backstops against a slow head or a
    // body trickled a byte at a time (the kernel's plain listener has the same bounds).
    headersTimeout: TLS_HEADERS_TIMEOUT_MS,
    requestTimeout: TLS_REQUEST_TIMEOUT_MS,
  };
  let server: Server | undefined;
  app.addHook('onListen', async () => {
    server = createServer(options, (req, res) => app.routing(req, res));
    if (upgrades) server.on('upgrade', upgrades);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.TLS_PORT, host, () => resolve());
    });
    app.log.info({ port: (server.address() as { port: number }).port }, 'TLS listener started');
  });
  app.addHook('onClose', async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  });
  return { port: () => (server?.address() as { port: number } | null)?.port };
}
