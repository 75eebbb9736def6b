import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { createDatabase } from '../db/create.js';
import { databaseAddress } from '../db/url.js';
import { freePort } from '../testing/ports.js';
import { assertCanListen, EXIT_CODES, StartupError, waitForDatabase } from './startup-checks.js';

const logger = createLogger({ name: 'test', level: 'silent' });

describe('assertCanListen', () => {
  it('passes on a free port and on port 0', async () => {
    await expect(
      assertCanListen({ service: 'orders', host: '127.0.0.1', port: await freePort(), variable: 'PORT' }),
    ).resolves.toBeUndefined();
    await expect(assertCanListen({ service: 'orders', host: '127.0.0.1', port: 0, variable: 'PORT' })).resolves.toBeUndefined();
  });

  it('names the service, the address and the variable of a taken port', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const failure = await assertCanListen({ service: 'gateway', host: '127.0.0.1', port, variable: 'GATEWAY_PORT' }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(StartupError);
      expect(failure).toMatchObject({
        code: 'PORT_IN_USE',
        exitCode: EXIT_CODES.cannotListen,
        message: `gateway cannot listen on 127.0.0.1:${port} (GATEWAY_PORT): address in use`,
      });
    } finally {
      server.close();
    }
  });
});

describe('waitForDatabase', () => {
  it('does not wait for an embedded database', async () => {
    const database = await createDatabase('pglite://memory');
    try {
      await expect(
        waitForDatabase(database, { service: 'orders', url: 'pglite://memory', variable: 'DATABASE_URL', seconds: 0, logger }),
      ).resolves.toBeUndefined();
    } finally {
      await database.close();
    }
  });

  it('gives up on a closed port with a code the operator can act on', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/none`;
    const database = await createDatabase(url);
    try {
      const failure = await waitForDatabase(database, { service: 'sync', url, variable: 'SYNC_DATABASE_URL', seconds: 0, logger }).catch(
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({
        code: 'DATABASE_UNREACHABLE',
        exitCode: EXIT_CODES.databaseUnreachable,
        message: `sync database at ${databaseAddress(url)} (SYNC_DATABASE_URL) did not answer within 0 s`,
      });
    } finally {
      await database.close();
    }
  });
});

describe('databaseAddress', () => {
  it('gives host and port, with the default port of the dialect, never the password', () => {
    expect(databaseAddress('postgres://u:secret@db.internal/orders')).toBe('db.internal:5432');
    expect(databaseAddress('mysql://root:pw@10.0.0.5:3307/erp')).toBe('10.0.0.5:3307');
    expect(databaseAddress('pglite://./data/orders')).toBe('./data/orders');
  });
});
