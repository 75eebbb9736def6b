// The image's HEALTHCHECK: slim images have no curl, and node is always there.
/* global fetch, AbortSignal -- node's own globals: this file runs under plain node in the image */
// Asks the liveness probe of the service this container serves (PORT, else its default port).
const defaults = { gateway: 8080, orders: 4001, processing: 4002, erp: 4003, sync: 4004 };
const port = process.env.PORT ?? defaults[process.env.SERVICE ?? ''] ?? 8080;

try {
  const response = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2500) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
