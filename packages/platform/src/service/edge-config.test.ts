import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from '../core/config.js';
import { loadServiceEdge } from './edge-config.js';
import { ServiceProcessConfig } from './main.js';

const BASE = { DATABASE_URL: 'pglite://memory', TRIBUTARY_KEYRING_FILE: 'keys.json' };

describe('service edge configuration', () => {
  it('defaults the timeouts and leaves TLS and the metrics token off', async () => {
    const config = loadConfig(ServiceProcessConfig, BASE);
    expect(await loadServiceEdge(config)).toEqual({ http: { bodyTimeoutMs: 15_000, headersTimeoutMs: 10_000 }, trust: {} });
  });

  it('reads the TLS files and the token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-edge-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    for (const name of ['cert.pem', 'key.pem', 'ca.pem']) await writeFile(join(dir, name), `${name} contents`);
    const config = loadConfig(ServiceProcessConfig, {
      ...BASE,
      METRICS_TOKEN: 'a-long-enough-metrics-token',
      HTTP_BODY_TIMEOUT_MS: '20000',
      TLS_CERT_FILE: join(dir, 'cert.pem'),
      TLS_KEY_FILE: join(dir, 'key.pem'),
      TLS_CA_FILE: join(dir, 'ca.pem'),
    });
    const edge = await loadServiceEdge(config);
    expect(edge.http).toMatchObject({ metricsToken: 'a-long-enough-metrics-token', bodyTimeoutMs: 20_000 });
    expect(edge.http.tls?.cert.toString()).toBe('cert.pem contents');
    expect(edge.trust.ca?.toString()).toBe('ca.pem contents');
  });

  it('refuses a certificate without its key, a short token and an unreadable file, naming the variable', async () => {
    await expect(loadServiceEdge(loadConfig(ServiceProcessConfig, { ...BASE, TLS_CERT_FILE: '/x.pem' }))).rejects.toThrow(
      /TLS_CERT_FILE and TLS_KEY_FILE/,
    );
    expect(() => loadConfig(ServiceProcessConfig, { ...BASE, METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    await expect(loadServiceEdge(loadConfig(ServiceProcessConfig, { ...BASE, TLS_CA_FILE: '/nonexistent/ca.pem' }))).rejects.toThrow(
      /TLS_CA_FILE/,
    );
  });
});
