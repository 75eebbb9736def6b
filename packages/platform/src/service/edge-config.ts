import { readFile } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from '../core/config.js';
import type { HttpEdgeSettings } from '../http/edge-settings.js';
import type { ServiceTrust } from '../resilience/tls-trust.js';

/** The edge variables every service process reads (docs/operations.md, "HTTP edge"). */
export const ServiceEdgeConfig = Type.Object({
  METRICS_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'bearer token Prometheus sends to /metrics (at least 16 characters)' }),
  ),
  HTTP_BODY_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 15_000 }),
  HTTP_HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  TLS_CERT_FILE: Type.Optional(
    Type.String({ minLength: 1, description: 'PEM certificate chain to listen with TLS 1.3 (with TLS_KEY_FILE)' }),
  ),
  TLS_KEY_FILE: Type.Optional(Type.String({ minLength: 1, description: 'PEM private key for TLS_CERT_FILE' })),
  TLS_CA_FILE: Type.Optional(
    Type.String({ minLength: 1, description: 'PEM CA bundle that https peers are verified against (default: system store)' }),
  ),
});

export type ServiceEdgeConfig = Static<typeof ServiceEdgeConfig>;

/** Reads the files the variables name; a certificate without its key (or the reverse) is a config error. */
export async function loadServiceEdge(config: ServiceEdgeConfig): Promise<{ http: HttpEdgeSettings; trust: ServiceTrust }> {
  if ((config.TLS_CERT_FILE === undefined) !== (config.TLS_KEY_FILE === undefined)) {
    throw new ConfigError(['TLS_CERT_FILE and TLS_KEY_FILE go together: set both to listen with TLS, or neither']);
  }
  const read = async (variable: string, path: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new ConfigError([`${variable}=${JSON.stringify(path)} cannot be read: ${(error as Error).message}`]);
    }
  };
  const http: HttpEdgeSettings = {
    bodyTimeoutMs: config.HTTP_BODY_TIMEOUT_MS,
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    ...(config.METRICS_TOKEN === undefined ? {} : { metricsToken: config.METRICS_TOKEN }),
  };
  if (config.TLS_CERT_FILE !== undefined && config.TLS_KEY_FILE !== undefined) {
    http.tls = { cert: await read('TLS_CERT_FILE', config.TLS_CERT_FILE), key: await read('TLS_KEY_FILE', config.TLS_KEY_FILE) };
  }
  const trust: ServiceTrust = config.TLS_CA_FILE === undefined ? {} : { ca: await read('TLS_CA_FILE', config.TLS_CA_FILE) };
  return { http, trust };
}
