import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { asSchema, type AnyDatabase } from '../db/create.js';
import type { DynamicSchema } from '../db/schema.js';
import type { ServiceContext } from '../service/definition.js';
import type { Keyring } from '../service/keys.js';
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
export function testServiceContext<DB = DynamicSchema>(
  name: string,
  database: AnyDatabase,
  options: TestContextOptions = {},
): ServiceContext<DB> {
  const keyring = options.keyring ?? testKeyring();
  return {
    name,
    database: asSchema<DB>(database),
    logger: options.logger ?? silentLogger(),
    clock: options.clock ?? systemClock,
    keyring,
    credentials: testCredentials(name, keyring),
    scope: TEST_SCOPE,
    peers: options.peers ?? {},
    env: options.env ?? {},
  };
}
