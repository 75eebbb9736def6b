/**
 * The edge settings an operator gives a service process through its environment
 * (METRICS_TOKEN, HTTP_*_TIMEOUT_MS, TLS_*; see docs/operations.md). Services build their apps
 * with createHttpApp and never see these: the process runner (runServiceProcess) installs them
 * here once, before any app is built, and createHttpApp takes them as defaults. Explicit
 * HttpAppOptions still win, which is how tests set them.
 */
export interface HttpEdgeSettings {
  /** Bearer token accepted on /metrics besides a SigV4 signature. */
  metricsToken?: string;
  /** Time allowed from the request head to the body's last byte; default 15 s. */
  bodyTimeoutMs?: number;
  /** Time allowed for the request head (line and headers); default 10 s. */
  headersTimeoutMs?: number;
  /** Listen with TLS (1.3 only) using this PEM certificate chain and key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

let processDefaults: HttpEdgeSettings = {};

export function configureHttpEdge(settings: HttpEdgeSettings): void {
  processDefaults = { ...settings };
}

export function httpEdgeDefaults(): HttpEdgeSettings {
  return processDefaults;
}
