import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTables, sql, type Kysely } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { migrations } from '../../db/migrations/index.js';
import type { GatewayDatabase } from '../../db/schema.js';
import { applyGatewayRetention, retentionSettings } from './privacy.retention.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: retention of personal data in the gateway audit log`, () => {
    let handle: TestDatabase;
    let db: Kysely<GatewayDatabase>;
    const audit = async () =>
      (
        await sql<{ request_id: string; client_ip: string; user_agent: string | null; referer: string | null; user_id: string }>`
        select request_id, host(client_ip) as client_ip, user_agent, referer, user_id from api_audit_logs order by request_id`.execute(db)
      ).rows;

    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, migrations);
      db = asTables<GatewayDatabase>(handle.database.db);
      for (const [id, ageDays] of [
        ['old', 120],
        ['recent', 10],
      ] as const) {
        const at = new Date(NOW - ageDays * DAY);
        await sql`insert into api_audit_logs (request_id, http_method, path, user_id, authentication_method, client_ip, user_agent, referer, status_code, response_time_ms, decision, request_timestamp, response_timestamp, rate_limited)
          values (${id}, 'GET', '/x', 'usr_alice', 'jwt', '203.0.113.9', 'Agent/1 (alice)', 'https://intranet/alice', 200, 1, 'allowed', ${at}, ${at}, false)`.execute(
          db,
        );
      }
    });
    afterAll(async () => handle.destroy());

    it('reads its settings, refusing a bad value by name', () => {
      expect(retentionSettings({})).toEqual({ auditPersonalDays: 90, intervalMs: 3_600_000 });
      expect(retentionSettings({ GATEWAY_PERSONAL_RETENTION_DAYS: '30' }).auditPersonalDays).toBe(30);
      expect(() => retentionSettings({ GATEWAY_PERSONAL_RETENTION_DAYS: '0' })).toThrow(/GATEWAY_PERSONAL_RETENTION_DAYS/);
      expect(() => retentionSettings({ PRIVACY_RETENTION_INTERVAL_MS: 'soon' })).toThrow(/PRIVACY_RETENTION_INTERVAL_MS/);
    });

    it('clears the address, agent and referer of rows past retention, keeps every row and who did what', async () => {
      const result = await applyGatewayRetention(db, NOW, retentionSettings({}));
      expect(result.auditRows).toBe(1);
      expect(await audit()).toEqual([
        { request_id: 'old', client_ip: '0.0.0.0', user_agent: null, referer: null, user_id: 'usr_alice' },
        {
          request_id: 'recent',
          client_ip: '203.0.113.9',
          user_agent: 'Agent/1 (alice)',
          referer: 'https://intranet/alice',
          user_id: 'usr_alice',
        },
      ]);
      expect((await applyGatewayRetention(db, NOW, retentionSettings({}))).auditRows).toBe(0);
    });
  });
}
