import { silentLogger } from '../core/logger.js';
import type { Clock } from '../core/clock.js';
import type { Database } from '../db/create.js';
import type { ServiceContext } from '../service/definition.js';
import type { Keyring } from '../service/keys.js';
import { TEST_SCOPE, testCredentials, testKeyring } from './signed.js';

/**
 * The context a process would hand a service, for a test: a silent logger, the test scope and
 * keyring, and the service signing with its own test key. Settings and peers are the test's.
 */
export function testServiceContext<DB>(
  name: string,
  database: Database<DB>,
  options: { clock: Clock; keyring?: Keyring; env?: Record<string, string | undefined>; peers?: Record<string, string> },
): ServiceContext<DB> {
  const keyring = options.keyring ?? testKeyring();
  return {
    name,
    database,
    logger: silentLogger(),
    clock: options.clock,
    keyring,
    credentials: testCredentials(name, keyring),
    scope: TEST_SCOPE,
    peers: options.peers ?? {},
    env: options.env ?? {},
  };
}
