import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { testDatabases } from '@tributary/platform/testing';
import { maintainAuditPartitions, partitionName } from '../src/features/audit/partitions.js';
import { AUDITED_ROUTE, bearer, createUser, gatewayBed, postRoute, tokenFor, type TestGateway, type Upstream } from './support.js';
import { asTables } from '@tributary/platform/db';
import type { GatewayDatabase } from '../src/db/schema.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: audit log`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;
    let up: Upstream;
    let admin: string;

    beforeAll(async () => {
      up = await bed.upstream('svc', { verify: false });
      gw = await bed.gateway();
      await createUser(gw, 'root', 'administrator', 'unlimited');
      await createUser(gw, 'alice', 'analyst');
      admin = await tokenFor(gw, 'root');
      await postRoute(gw, admin, { ...AUDITED_ROUTE, upstreamUrl: up.url });
    });

    const auditLogs = (query: string) => gw.app.inject({ method: 'GET', url: `/api/v1/admin/audit-logs?${query}`, headers: bearer(admin) });

    it('records every request with who, route, status, latency and decision, written in batches', async () => {
      const alice = await tokenFor(gw, 'alice');
      await gw.app.inject({
        method: 'GET',
        url: '/audited/a?token=secret&x=1&email_id=someone%40example.com',
        headers: { ...bearer(alice), 'x-request-id': 'audit-ok-1' },
      });
      await gw.app.inject({ method: 'GET', url: '/audited/b', headers: { 'x-request-id': 'audit-anon-1' } });
      await gw.app.inject({ method: 'GET', url: '/audited/c', headers: { ...bearer(admin), 'x-request-id': 'audit-admin-1' } });
      const pendingBefore = gw.deps.audit.pending;
      expect(pendingBefore).toBeGreaterThanOrEqual(3);
      const response = await auditLogs('userId=usr_alice&limit=50');
      const items = response.json().items as Array<Record<string, unknown>>;
      const ok = items.find((item) => item.requestId === 'audit-ok-1')!;
      expect(ok).toMatchObject({
        method: 'GET',
        path: '/audited/a',
        userId: 'usr_alice',
        authenticationMethod: 'jwt',
        serviceName: 'svc',
        statusCode: 200,
        decision: 'allowed',
        upstreamUrl: up.url,
      });
      expect(typeof ok.responseTimeMs).toBe('number');
      const raw = await bed.handle.database.db
        .selectFrom('api_audit_logs')
        .select(['query_params'])
        .where('request_id', '=', 'audit-ok-1')
        .executeTakeFirstOrThrow();
      expect(raw.query_params).toEqual({ token: '[redacted]', x: '1', email_id: '[redacted]' });
      const anon = await auditLogs('decision=denied_auth');
      expect(anon.json().items.some((item: { requestId: string }) => item.requestId === 'audit-anon-1')).toBe(true);
    });

    it('filters and paginates, newest first', async () => {
      const alice = await tokenFor(gw, 'alice');
      for (let i = 0; i < 5; i++) {
        gw.clock.advance(1_000);
        await gw.app.inject({ method: 'GET', url: `/audited/p${i}`, headers: { ...bearer(alice), 'x-request-id': `page-${i}` } });
      }
      const page1 = (await auditLogs('serviceName=svc&statusCode=200&limit=2&page=1')).json();
      const page2 = (await auditLogs('serviceName=svc&statusCode=200&limit=2&page=2')).json();
      expect(page1.items).toHaveLength(2);
      expect(page1.total).toBeGreaterThanOrEqual(6);
      expect(page1.items[0].requestId).toBe('page-4');
      expect(page2.items[0].requestId).toBe('page-2');
      const bad = await auditLogs('statusCode=abc');
      expect(bad.statusCode).toBe(400);
    });

    it('summarises the last 24 hours by hour and service', async () => {
      const usage = (await gw.app.inject({ method: 'GET', url: '/api/v1/admin/usage?serviceName=svc', headers: bearer(admin) })).json();
      expect(usage.items.length).toBeGreaterThanOrEqual(1);
      const total = usage.items.reduce((sum: number, row: { totalRequests: number }) => sum + row.totalRequests, 0);
      expect(total).toBeGreaterThanOrEqual(8);
      expect(usage.items.every((row: { serviceName: string }) => row.serviceName === 'svc')).toBe(true);
      expect(usage.items[0]).toHaveProperty('p99ResponseTimeMs');
      expect(usage.items.reduce((sum: number, row: { failedRequests: number }) => sum + row.failedRequests, 0)).toBeGreaterThanOrEqual(1);
    });

    it('partitions by month and drops partitions past the retention', async () => {
      const now = new Date(gw.clock.now());
      const partitionOf = await sql<{
        part: string;
      }>`select tableoid::regclass::text as part from api_audit_logs where request_id = 'page-0'`.execute(bed.handle.database.db);
      expect(partitionOf.rows[0]!.part).toBe(partitionName(now));
      const old = new Date(Date.UTC(now.getUTCFullYear() - 8, 0, 15));
      const created = await maintainAuditPartitions(asTables<GatewayDatabase>(bed.handle.database.db), old, 84, silentLogger(), 0);
      expect(created.created).toEqual([partitionName(old)]);
      await sql`insert into api_audit_logs (request_id, http_method, path, authentication_method, client_ip, status_code, response_time_ms, decision, request_timestamp, response_timestamp)
        values ('ancient', 'GET', '/x', 'none', '127.0.0.1', 200, 1, 'allowed', ${old}, ${old})`.execute(bed.handle.database.db);
      const result = await maintainAuditPartitions(asTables<GatewayDatabase>(bed.handle.database.db), now, 84, silentLogger());
      expect(result.dropped).toEqual([partitionName(old)]);
      const left = await sql<{ n: string }>`select count(*) as n from api_audit_logs where request_id = 'ancient'`.execute(
        bed.handle.database.db,
      );
      expect(Number(left.rows[0]!.n)).toBe(0);
      const health = (await gw.app.inject({ method: 'GET', url: '/api/v1/admin/system/health', headers: bearer(admin) })).json();
      expect(health).toMatchObject({ database: 'up', redis: 'not configured' });
      expect(health.requestsLast24h).toBeGreaterThan(5);
    });
  });
}
