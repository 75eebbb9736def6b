import { ManualClock, silentLogger } from '@tributary/platform/core';
import { sql } from '@tributary/platform/db';
import { Value } from '@sinclair/typebox/value';
import {
  BatchConsumedPayload,
  BatchExpiringPayload,
  ERP_EVENT_TYPES,
  PricingAppliedPayload,
  SegmentAssignedPayload,
} from '@tributary/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, testKeyring, testCredentials, TEST_SCOPE } from '@tributary/platform/testing';
import type { ServiceContext } from '@tributary/platform/service';
import { service } from '../src/service.js';
import { type Harness, NOON_IST, ok, startHarness } from './harness.js';

for (const target of testDatabases()) {
  describe(`${target.label}: erp service end to end`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(target);
    });
    afterAll(async () => h.close());

    it('seeds demo data idempotently, and the demo prices come out as documented', async () => {
      const keyring = testKeyring();
      const context: ServiceContext = {
        name: 'erp',
        database: h.handle.database,
        logger: silentLogger(),
        clock: new ManualClock(NOON_IST),
        keyring,
        credentials: testCredentials('erp', keyring),
        scope: TEST_SCOPE,
        peers: {},
        env: { PLANT_TIME_ZONE: 'Asia/Kolkata' },
      };
      await service.seed!(context);
      const count = async () =>
        (
          await h.handle.database.db
            .selectFrom('tabHD Batch Movement')
            .select(sql<string>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      const before = String(await count());
      await service.seed!(context);
      expect(String(await count())).toBe(before);
      const quote = await ok(
        h.call('POST', '/pricing/calculate', {
          customer: 'CUST-BALAJI-DIST',
          dry_run: true,
          items: [{ item_code: 'KAJU-KATLI-500G', qty: '20' }],
        }),
      );
      // Volume tier 10% (priority 10) and the wholesale segment's 15% (priority 3) add up on the base.
      expect(quote.pricing[0].final_rate).toBe('337.5');
      const pick = await ok(
        h.call('POST', '/stock/pick', { lines: [{ item: 'KAJU-KATLI-500G', warehouse: 'Finished Goods - HD', qty: '150' }] }),
      );
      expect(pick.lines[0].allocations.map((a: any) => a.batch)).toEqual(['KAJU-DEMO-001', 'KAJU-DEMO-002']);
    });

    it('refuses unsigned calls and serves health, OpenAPI and the outbox feed', async () => {
      expect((await h.app.inject({ method: 'GET', url: '/segments' })).statusCode).toBe(401);
      expect((await h.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      for (const path of [
        '/segments',
        '/customers/{name}/segments',
        '/batches',
        '/stock/pick',
        '/stock/consume',
        '/pricing/rules',
        '/pricing/calculate',
        '/batches/expiring',
      ]) {
        expect(Object.keys(spec.paths)).toContain(path);
      }
      const feed = await ok(h.asPeer('sync', 'GET', '/internal/outbox?after=0&limit=1000'));
      const types = new Set(feed.events.map((e: any) => e.type));
      for (const type of ['erp.segment.created', 'erp.customer.segment_assigned', 'erp.batch.received', 'erp.pricing_rule.created'])
        expect(types).toContain(type);
      expect(feed.events.every((e: any, i: number) => i === 0 || BigInt(e.sequence) > BigInt(feed.events[i - 1].sequence))).toBe(true);
    });

    it('an Idempotency-Key retry of a consumption replays instead of consuming twice', async () => {
      const body = {
        lines: [{ item: 'DARK-CHOC-70', warehouse: 'Finished Goods - HD', qty: '5' }],
        reference_doctype: 'Delivery Note',
        reference_name: 'DN-1',
      };
      const first = await h.call('POST', '/stock/consume', body, { 'idempotency-key': 'dn-1-consume' });
      const retry = await h.call('POST', '/stock/consume', body, { 'idempotency-key': 'dn-1-consume' });
      expect(first.statusCode).toBe(200);
      expect(retry.json()).toEqual(first.json());
      expect((await ok(h.call('GET', '/batches/CHOC-DEMO-001'))).available_qty).toBe('495');
    });

    it('publishes payloads that match the shared ERP contracts', async () => {
      await ok(
        h.call('POST', '/pricing/calculate', {
          customer: 'CUST-ANAND-RETAIL',
          items: [{ item_code: 'KAJU-KATLI-500G', qty: '12' }],
          reference_doctype: 'Sales Order',
          reference_name: 'SO-C1',
        }),
      );
      await ok(h.call('POST', '/batches/expiry-scan', {}));
      const feed = await ok(h.asPeer('sync', 'GET', '/internal/outbox?after=0&limit=1000'));
      const schemas = {
        [ERP_EVENT_TYPES.segmentAssigned]: SegmentAssignedPayload,
        [ERP_EVENT_TYPES.batchConsumed]: BatchConsumedPayload,
        [ERP_EVENT_TYPES.batchExpiring]: BatchExpiringPayload,
        [ERP_EVENT_TYPES.pricingApplied]: PricingAppliedPayload,
      };
      for (const [type, schema] of Object.entries(schemas)) {
        const events = feed.events.filter((e: any) => e.type === type);
        expect(events.length, type).toBeGreaterThan(0);
        for (const event of events) expect(Value.Errors(schema, event.payload).First(), type).toBeUndefined();
      }
    });

    it('masters: create, list with filters and pagination, patch, refuse duplicates', async () => {
      await ok(h.call('POST', '/items', { item_code: 'NEW-ITEM', item_group: 'Sweets', standard_rate: '12.5' }), 201);
      expect((await h.call('POST', '/items', { item_code: 'NEW-ITEM' })).json().code).toBe('MASTER_EXISTS');
      const sweets = await ok(h.call('GET', '/items?item_group=Sweets&limit=2'));
      expect(sweets.data).toHaveLength(2);
      expect(sweets.hasMore).toBe(true);
      expect((await ok(h.call('PATCH', '/items/NEW-ITEM', { standard_rate: '13' }))).standard_rate).toBe('13');
      expect((await h.call('PATCH', '/items/NOPE', { standard_rate: '13' })).json().code).toBe('ITEM_NOT_FOUND');
      expect((await h.call('POST', '/items', { item_code: 'BAD', standard_rate: '-1' })).statusCode).toBe(400);
      expect((await h.call('GET', '/customers?q=%27%20or%201%3D1%20--')).statusCode).toBe(200);
    });

    it('masters: flag filters take 0 or 1 and refuse anything else with a 400', async () => {
      const enabled = await ok(h.call('GET', '/items?disabled=0&limit=500'));
      expect(enabled.data.length).toBeGreaterThan(0);
      expect(enabled.data.every((item: { disabled: number }) => item.disabled === 0)).toBe(true);
      for (const path of [
        '/customers?disabled=abc',
        '/items?disabled=1.5',
        '/warehouses?disabled=2',
        '/items?disabled=',
        '/customers?disabled=%25',
      ]) {
        const refused = await h.call('GET', path);
        expect(refused.statusCode, path).toBe(400);
        expect(refused.json().code, path).toBe('REQUEST_VALIDATION_FAILED');
      }
    });
  });
}
