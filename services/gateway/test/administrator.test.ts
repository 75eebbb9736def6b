import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@tributary/platform/core';
import { sql } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { testDatabases, testServiceContext } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';
import type { GatewayDatabase } from '../src/db/schema.js';
import { administratorNotes, ensureAdministrator } from '../src/features/auth/administrator.js';
import { migrations } from '../src/db/migrations/index.js';
import { gatewayBed, login, TEST_ENV } from './support.js';

/** A logger whose lines the test reads back. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) },
  });
  return { logger, lines };
}

async function passwordFile(password: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'gw-admin-')), 'password');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return file;
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the first administrator at start-up`, () => {
    const bed = gatewayBed(target);

    it('without TRIBUTARY_ADMIN_PASSWORD_FILE: no user is made and one warn line says how to make one', async () => {
      const { logger, lines } = recordingLogger();
      await ensureAdministrator(testServiceContext<GatewayDatabase>('gateway', bed.handle.database, { env: TEST_ENV, logger }));
      const warnings = lines.filter((line) => line.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toContain('tributary admin create --username');
      const notes = await administratorNotes(
        testServiceContext('gateway', bed.handle.database, { env: TEST_ENV }),
        'http://127.0.0.1:9999',
      );
      expect(notes).toEqual(['No administrator yet: create one with `tributary admin create --username <name>`']);
    });

    it('replicas starting at once with the file make exactly one administrator, which logs in', async () => {
      const env = {
        ...TEST_ENV,
        TRIBUTARY_ADMIN_PASSWORD_FILE: await passwordFile('first-admin-password'),
        TRIBUTARY_ADMIN_USERNAME: 'root-ops',
      };
      const replicas = Array.from({ length: 4 }, () => testServiceContext<GatewayDatabase>('gateway', bed.handle.database, { env }));
      // A lost race is not an error: every replica's start-up succeeds.
      await Promise.all(replicas.map((context) => ensureAdministrator(context)));
      const admins = await sql<{ username: string }>`select username from api_users where role = 'administrator'`.execute(
        bed.handle.database.db,
      );
      expect(admins.rows).toEqual([{ username: 'root-ops' }]);

      const gateway = await bed.gateway({ env });
      const response = await login(gateway, 'root-ops', 'first-admin-password');
      expect(response.statusCode).toBe(200);
      // A later start finds the administrator and neither creates nor warns.
      const { logger, lines } = recordingLogger();
      await ensureAdministrator(testServiceContext<GatewayDatabase>('gateway', bed.handle.database, { env, logger }));
      expect(lines.filter((line) => line.level >= 40)).toEqual([]);
      const notes = await administratorNotes(testServiceContext('gateway', bed.handle.database, { env }), 'http://127.0.0.1:9999');
      expect(notes[0]).toBe('Administrator root-ops created from TRIBUTARY_ADMIN_PASSWORD_FILE');
      expect(notes[1]).toContain('curl -s http://127.0.0.1:9999/api/v1/auth/login');
    });
  });

  describe(`${target.label}: a weak password in the file`, () => {
    it('stops the start-up with PASSWORD_POLICY_VIOLATION and creates nobody', async () => {
      const handle = await target.create();
      try {
        await migrateToLatest(handle.database, migrations);
        const env = { ...TEST_ENV, TRIBUTARY_ADMIN_PASSWORD_FILE: await passwordFile('short') };
        await expect(ensureAdministrator(testServiceContext<GatewayDatabase>('gateway', handle.database, { env }))).rejects.toMatchObject({
          code: 'PASSWORD_POLICY_VIOLATION',
        });
        const count = await sql<{ n: number }>`select count(*)::int as n from api_users`.execute(handle.database.db);
        expect(count.rows[0]!.n).toBe(0);
      } finally {
        await handle.destroy();
      }
    });
  });
}
