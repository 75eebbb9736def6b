import { connect as tlsConnect } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createHttpApp } from '../http/app.js';
import { startHttpServer } from '../http/lifecycle.js';
import { createServiceClient } from '../resilience/client.js';
import { createTestCertificateAuthority, testAuth, testCredentials, TEST_SCOPE, type TestCertificateAuthority } from '../testing/index.js';

async function tlsService(authority: TestCertificateAuthority): Promise<string> {
  const app = await createHttpApp({
    name: 'tls-test',
    logger: silentLogger(),
    auth: testAuth(),
    tls: { cert: authority.cert, key: authority.key },
  });
  app.get('/whoami', async (request) => ({ principal: request.identity?.principal, protocol: request.protocol }));
  onTestFinished(() => app.close());
  return startHttpServer(app, { host: '127.0.0.1', port: 0 });
}

describe('TLS between services', () => {
  it('serves TLS 1.3 and the signed client verifies the peer against the configured CA', async () => {
    const ours = await createTestCertificateAuthority();
    const url = await tlsService(ours);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const client = createServiceClient({
      name: 'tls-test',
      baseUrl: url,
      credentials: testCredentials(),
      scope: TEST_SCOPE,
      tls: { ca: ours.ca },
    });
    onTestFinished(() => client.close());
    expect(await client.json({ method: 'GET', path: '/whoami' })).toEqual({ principal: 'test', protocol: 'https' });
  });

  it('refuses a peer whose certificate another CA signed, and one trusted by nobody', async () => {
    const [ours, theirs] = await Promise.all([createTestCertificateAuthority(), createTestCertificateAuthority()]);
    const url = await tlsService(theirs);
    const trustingOurs = createServiceClient({
      name: 'tls-test',
      baseUrl: url,
      credentials: testCredentials(),
      tls: { ca: ours.ca },
      retry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
    });
    // No CA given: the system store, which knows neither test CA.
    const systemStore = createServiceClient({
      name: 'tls-test',
      baseUrl: url,
      credentials: testCredentials(),
      tls: {},
      retry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
    });
    onTestFinished(() => Promise.all([trustingOurs.close(), systemStore.close()]).then(() => undefined));
    for (const client of [trustingOurs, systemStore]) {
      await expect(client.request({ method: 'GET', path: '/whoami' })).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        details: { reason: expect.stringMatching(/CERT|SIGNED|VERIFY|ISSUER/) },
      });
    }
  });

  it('refuses a client that offers at most TLS 1.2', async () => {
    const ours = await createTestCertificateAuthority();
    const { port } = new URL(await tlsService(ours));
    const outcome = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: Number(port), ca: ours.ca, servername: 'localhost', maxVersion: 'TLSv1.2' });
      socket.once('secureConnect', () => {
        resolve(`connected with ${socket.getProtocol()}`);
        socket.destroy();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(outcome).not.toMatch(/^connected/);
  });
});
