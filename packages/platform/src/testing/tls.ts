import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificateAuthority {
  /** PEM certificate of the CA: what a client trusts. */
  ca: string;
  /** A server certificate it signed for localhost and 127.0.0.1, with its key. */
  cert: string;
  key: string;
}

/**
 * A throwaway CA and one server certificate signed by it, made with the openssl CLI (tests
 * only). Each call makes an unrelated CA, so two calls give a certificate a client trusting
 * the other must refuse.
 */
export async function createTestCertificateAuthority(): Promise<TestCertificateAuthority> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-tls-'));
  const at = (name: string) => join(dir, name);
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=Tributary Test CA',
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
    ]);
    await run('openssl', [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      at('server.key'),
      '-out',
      at('server.csr'),
    ]);
    await writeFile(at('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      at('server.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      at('ext.cnf'),
      '-out',
      at('server.pem'),
    ]);
    const [ca, cert, key] = await Promise.all([
      readFile(at('ca.pem'), 'utf8'),
      readFile(at('server.pem'), 'utf8'),
      readFile(at('server.key'), 'utf8'),
    ]);
    return { ca, cert, key };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
