import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Keyring } from '../service/keys.js';
import type { ServiceContext } from '../service/definition.js';
import { TEST_SCOPE, testCredentials, testKeyring } from './signed.js';

export interface TestContextOptions {
  peers?: Record<string, string>;
  env?: Record<string, string | undefined>;
  clock?: Clock;
  keyring?: Keyring;
  logger?: Logger;
}

/**
 * What a process hands service `name` on `database`, for tests and benchmarks: the test keyring,
 * the service signing as itself, a silent logger and the system clock unless told otherwise.
 */
export function testServiceContext(name: string, database: ServiceContext['database'], options: TestContextOptions = {}): ServiceContext {
  const keyring = options.keyring ?? testKeyring();
  return {
    name,
    database,
    logger: options.logger ?? silentLogger(),
    clock: options.clock ?? systemClock,
    keyring,
    credentials: testCredentials(name, keyring),
    scope: TEST_SCOPE,
    peers: options.peers ?? {},
    env: options.env ?? {},
  };
}
