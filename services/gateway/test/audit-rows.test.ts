import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { testDatabases } from '@tributary/platform/testing';
import { AuditWriter, type AuditRecord } from '../src/features/audit/audit-writer.js';
import { AUDITED_ROUTE, bearer, createUser, gatewayBed, postRoute, tokenFor, type TestGateway, type Upstream } from './support.js';
import { asTables } from '@tributary/platform/db';
import type { GatewayDatabase } from '../src/db/schema.js';

/** The audit log never loses a row: one client's odd bytes used to drop the whole batch with everyone's rows. */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: audit never loses a row`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;
    let up: Upstream;

    beforeAll(async () => {
      up = await bed.upstream('svc', { verify: false });
      // Large batches, flushed only when asked: every row below travels in one batch.
      gw = await bed.gateway({ env: { AUDIT_BATCH_SIZE: '1000', AUDIT_FLUSH_MS: '600000' } });
      await createUser(gw, 'root', 'administrator', 'unlimited');
      await createUser(gw, 'alice', 'analyst', 'unlimited');
      const admin = await tokenFor(gw, 'root');
      const created = await postRoute(gw, admin, { ...AUDITED_ROUTE, upstreamUrl: up.url });
      expect(created.statusCode).toBe(201);
    });

    const count = async (prefix: string) =>
      Number(
        (
          await bed.handle.database.db
            .selectFrom('api_audit_logs')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('request_id', 'like', `${prefix}%`)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('a NUL or lone surrogate in query, path or JSON keys is stored, and the other users’ rows in the batch too', async () => {
      const alice = await tokenFor(gw, 'alice');
      await gw.deps.audit.flush();
      const urls = [
        '/audited/ok-1',
        '/audited/x?order_code=%00',
        '/audited/%00zero',
        '/audited/y?%00key=1',
        '/audited/z?s=%ED%A0%80',
        '/audited/ok-2',
        '/api/v1/nothing?q=%00',
      ];
      for (const [i, url] of urls.entries()) {
        await gw.app.inject({ method: 'GET', url, headers: { ...bearer(alice), 'x-request-id': `nul-${i}` } });
        await gw.app.inject({ method: 'GET', url: '/audited/other', headers: { 'x-request-id': `nul-anon-${i}` } });
      }
      expect(gw.deps.audit.pending).toBeGreaterThanOrEqual(urls.length * 2);
      await gw.deps.audit.flush();
      expect(await count('nul-')).toBe(urls.length * 2);
      expect(gw.deps.audit.dropped).toBe(0);
      const row = await bed.handle.database.db
        .selectFrom('api_audit_logs')
        .select(['query_params', 'path'])
        .where('request_id', '=', 'nul-1')
        .executeTakeFirstOrThrow();
      expect(row.query_params).toEqual({ order_code: '\uFFFD' });
    });

    it('a URL refused before routing (undecodable path) is audited too', async () => {
      await gw.deps.audit.flush();
      const urls = ['/audited/%E0%A4%A', '/audited/%ED%A0%80x', '/api/v1/erp/items/%C0%80'];
      for (const [i, url] of urls.entries()) {
        const refused = await gw.app.inject({ method: 'GET', url, headers: { 'x-request-id': `badurl-${i}` } });
        expect(refused.statusCode, url).toBe(400);
      }
      await gw.deps.audit.flush();
      expect(await count('badurl-')).toBe(urls.length);
      const row = await bed.handle.database.db
        .selectFrom('api_audit_logs')
        .select(['status_code', 'error_code', 'decision'])
        .where('request_id', '=', 'badurl-0')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status_code: 400, error_code: expect.any(String), decision: 'rejected' });
    });

    it('when a batch fails anyway, its rows are written one by one and the bad one reduced', async () => {
      const writer = new AuditWriter(asTables<GatewayDatabase>(bed.handle.database.db), silentLogger(), {
        flushMs: 600_000,
        batchSize: 100,
      });
      const now = new Date();
      const row = (id: string, ip = '192.0.2.1'): AuditRecord => ({
        request_id: id,
        http_method: 'GET',
        path: '/p',
        query_params: null,
        user_id: null,
        api_key_id: null,
        authentication_method: 'none',
        client_ip: ip,
        user_agent: 'ua',
        referer: null,
        matched_route_id: null,
        service_name: null,
        upstream_url: null,
        status_code: 200,
        response_size_bytes: null,
        response_time_ms: 1,
        error_code: null,
        decision: 'allowed',
        request_timestamp: now,
        response_timestamp: now,
        rate_limited: false,
        rate_limit_reason: null,
        cache_status: null,
      });
      // Not an address: the inet column refuses it, and with it the batch.
      for (let i = 0; i < 5; i++) writer.push(row(`rescue-${i}`));
      writer.push(row('rescue-bad', 'not-an-address'));
      for (let i = 5; i < 10; i++) writer.push(row(`rescue-${i}`));
      expect(await writer.flush()).toBe(true);
      expect(await count('rescue-')).toBe(11);
      expect(writer.rescued).toBe(11);
      expect(writer.dropped).toBe(0);
      const bad = await bed.handle.database.db
        .selectFrom('api_audit_logs')
        .select(['client_ip', 'user_agent'])
        .where('request_id', '=', 'rescue-bad')
        .executeTakeFirstOrThrow();
      expect(bad).toEqual({ client_ip: '0.0.0.0', user_agent: null });
    });
  });
}
