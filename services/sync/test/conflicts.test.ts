import { beforeAll, describe, expect, it } from 'vitest';
import { signedInject, testDatabases } from '@tributary/platform/testing';
import type { SourceService, TargetService } from './support/peers.js';
import { usePipeline } from './support/pipeline.js';
import { eventually, routeConfig, type SyncUnderTest } from './support/sync.js';

/** Each strategy gets its own target name (all the same consumer), so routing picks its configuration. */
const STRATEGIES = {
  sw: { strategy: 'source_wins' },
  tw: { strategy: 'target_wins' },
  mg: {
    strategy: 'merge',
    fieldRules: {
      credit_limit: { rule: 'higher' },
      status: { rule: 'stage_priority', stages: ['draft', 'confirmed', 'shipped'] },
      reserved: { rule: 'sum' },
    },
  },
  br: { strategy: 'business_rule', rule: 'order_status_from_event' },
  mn: { strategy: 'manual' },
  au: { strategy: 'manual', autoResolveVersionMismatch: true },
} as const;

/** The same customer as the ERP sends it and as the target holds it, for the strategies that pick between the two. */
const ERP_CUSTOMER = { name: 'From ERP', credit_limit: '100' };
const LOCAL_CUSTOMER = { name: 'Local', credit_limit: '900' };

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: conflicts`, () => {
    const pipeline = usePipeline(target, (source, consumer) => ({
      src: source.url,
      ...Object.fromEntries(Object.keys(STRATEGIES).map((key) => [`t_${key}`, consumer.url])),
    }));
    let source: SourceService;
    let consumer: TargetService;
    let sync: SyncUnderTest;

    beforeAll(async () => {
      ({ source, consumer, sync } = pipeline.started());
      for (const [key, conflict] of Object.entries(STRATEGIES)) {
        const response = await sync.call(
          'POST',
          '/api/sync/configurations',
          routeConfig(
            `conflict_${key}`,
            { target_system: `t_${key}` },
            { eventTypes: [`${key}.*`], target: { kind: 'service', service: `t_${key}` }, conflict },
          ),
        );
        expect(response.statusCode).toBe(201);
      }
      await sync.startBackground();
    });

    /** The target holds version 5; the source sends version 3 of the same aggregate. */
    async function conflictOn(key: keyof typeof STRATEGIES, sourceData: Record<string, unknown>, targetData: Record<string, unknown>) {
      const aggregateId = `${key}-${Math.random().toString(36).slice(2, 8)}`;
      await consumer.seedEntity(aggregateId, 5, targetData);
      const [eventId] = await source.write([
        { aggregateType: 'customer', aggregateId, type: `${key}.updated`, payload: sourceData, metadata: { version: 3 } },
      ]);
      const conflict = await eventually(async () => {
        const list = await sync.call('GET', `/api/sync/conflicts?entityId=${aggregateId}`);
        expect(list.json().items).toHaveLength(1);
        return list.json().items[0];
      });
      return { aggregateId, eventId: eventId!, conflict };
    }

    /** One sample of sync's /metrics, scraped as Prometheus does. */
    async function scraped(series: string): Promise<number> {
      const text = (await signedInject(sync.app, { method: 'GET', url: '/metrics' })).body;
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
      expect(line, series).toBeDefined();
      return Number(line!.split(' ')[1]);
    }

    async function settled(eventId: string, status: string) {
      return eventually(async () => {
        const row = await sync.db.selectFrom('sync_status').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow();
        expect(row.sync_status).toBe(status);
        return row;
      });
    }

    it('source_wins: records the conflict and redelivers the source data forced', async () => {
      const { aggregateId, eventId, conflict } = await conflictOn('sw', ERP_CUSTOMER, LOCAL_CUSTOMER);
      await settled(eventId, 'completed');
      expect((await consumer.entity(aggregateId))!.data).toEqual({ name: 'From ERP', credit_limit: '100' });
      const detail = (await sync.call('GET', `/api/sync/conflicts/${conflict.conflict_id}`)).json();
      expect(detail).toMatchObject({
        conflict_type: 'version_mismatch',
        resolution_status: 'resolved',
        resolution_strategy: 'source_wins',
        source_version: '3',
        target_version: '5',
      });
      expect(detail.target_value).toEqual({ name: 'Local', credit_limit: '900' });
      expect(consumer.forced).toContain(eventId);
      expect((await consumer.applied()).filter((row) => row.event_id === eventId)).toHaveLength(1);
    });

    it('target_wins: resolves without delivering, the target keeps its data', async () => {
      const { aggregateId, eventId, conflict } = await conflictOn('tw', { name: 'From ERP' }, { name: 'Local' });
      await settled(eventId, 'completed');
      expect((await consumer.entity(aggregateId))!).toEqual({ version: 5, data: { name: 'Local' } });
      expect((await consumer.applied()).filter((row) => row.event_id === eventId)).toHaveLength(0);
      const detail = (await sync.call('GET', `/api/sync/conflicts/${conflict.conflict_id}`)).json();
      expect(detail).toMatchObject({ resolution_status: 'resolved', resolution_strategy: 'target_wins' });
    });

    it('merge: settles each field by its rule and delivers the merged record', async () => {
      const { aggregateId, eventId, conflict } = await conflictOn(
        'mg',
        { name: 'From ERP', credit_limit: '100.50', status: 'confirmed', reserved: 2, email: 'new@example.com' },
        { name: 'Local', credit_limit: '900', status: 'shipped', reserved: 3, phone: '555' },
      );
      await settled(eventId, 'completed');
      expect((await consumer.entity(aggregateId))!.data).toEqual({
        name: 'From ERP', // no rule: source
        credit_limit: '900', // higher
        status: 'shipped', // further stage
        reserved: 5, // sum
        email: 'new@example.com', // only in source
        phone: '555', // only in target
      });
      const detail = (await sync.call('GET', `/api/sync/conflicts/${conflict.conflict_id}`)).json();
      expect(detail).toMatchObject({ resolution_status: 'resolved', resolution_strategy: 'merge' });
    });

    it('business_rule: the registered rule decides (order status from the event, items and total kept)', async () => {
      const { aggregateId, eventId } = await conflictOn(
        'br',
        { status: 'cancelled', notes: 'customer called', total: '1.00', items: [] },
        { status: 'confirmed', total: '250.00', items: [{ sku: 'A' }] },
      );
      await settled(eventId, 'completed');
      expect((await consumer.entity(aggregateId))!.data).toEqual({
        status: 'cancelled',
        notes: 'customer called',
        total: '250.00',
        items: [{ sku: 'A' }],
      });
    });

    it('manual: waits for a person, who assigns, reviews and resolves with an edited value applied to the target', async () => {
      const byPerson = 'sync_conflicts_resolved_total{resolver="person",service="sync"}';
      const oldestAge = 'sync_conflict_oldest_pending_age_seconds{service="sync"}';
      const resolvedByPeople = await scraped(byPerson);
      const { aggregateId, eventId, conflict } = await conflictOn('mn', ERP_CUSTOMER, LOCAL_CUSTOMER);
      await settled(eventId, 'conflict');
      // Detected a day and an hour ago: what the unresolved-conflict alert looks for.
      await sync.db
        .updateTable('sync_conflicts')
        .set({ detected_at: new Date(Date.now() - 25 * 3_600_000) })
        .where('conflict_id', '=', conflict.conflict_id)
        .execute();
      expect(await scraped(oldestAge)).toBeGreaterThan(24 * 3600);
      expect(await scraped('sync_conflicts_pending{service="sync"}')).toBeGreaterThanOrEqual(1);
      // Later events of the aggregate wait behind the open conflict.
      const [laterId] = await source.write([
        {
          aggregateType: 'customer',
          aggregateId,
          type: 'mn.updated',
          payload: { name: 'Later', credit_limit: '100' },
          metadata: { version: 9 },
        },
      ]);
      const id = conflict.conflict_id;
      const assigned = await sync.call('POST', `/api/sync/conflicts/${id}/assign`, { assignee: 'bob' });
      expect(assigned.statusCode, JSON.stringify(assigned.json())).toBe(200);
      expect(
        (await sync.call('POST', `/api/sync/conflicts/${id}/review`, { note: 'credit limit was raised locally on purpose' })).statusCode,
      ).toBe(200);
      await eventually(async () => {
        const later = await sync.db.selectFrom('sync_status').select('sync_status').where('event_id', '=', laterId!).executeTakeFirst();
        expect(later?.sync_status).toBe('pending');
      });
      const resolved = await sync.call('POST', `/api/sync/conflicts/${id}/resolve`, {
        choice: 'custom',
        value: { name: 'From ERP', credit_limit: '900' },
        reason: 'keep the raised limit',
      });
      expect(resolved.statusCode).toBe(200);
      await settled(eventId, 'completed');
      await eventually(async () => expect((await consumer.entity(aggregateId))!.data).toEqual({ name: 'Later', credit_limit: '100' }));
      const applied = (await consumer.applied()).filter((row) => row.aggregate_id === aggregateId).map((row) => row.event_id);
      expect(applied).toEqual([eventId, laterId]);
      const detail = (await sync.call('GET', `/api/sync/conflicts/${id}`)).json();
      expect(detail).toMatchObject({
        resolution_status: 'resolved',
        resolution_strategy: 'manual',
        resolved_by: 'alice',
        assigned_to: 'bob',
        resolved_value: { name: 'From ERP', credit_limit: '900' },
      });
      expect(detail.audit.map((entry: any) => entry.action)).toEqual(['detected', 'queued_for_review', 'assigned', 'reviewed', 'resolved']);
      expect(await scraped(byPerson)).toBe(resolvedByPeople + 1);
      expect(await scraped(oldestAge)).toBeLessThan(24 * 3600);
      const again = await sync.call('POST', `/api/sync/conflicts/${id}/resolve`, { choice: 'source', reason: 'twice' });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('SYNC_CONFLICT_ALREADY_CLOSED');
    });

    it('manual: escalation and the target’s own value are part of the workflow too', async () => {
      const { aggregateId, eventId, conflict } = await conflictOn('mn', { name: 'From ERP' }, { name: 'Local' });
      await settled(eventId, 'conflict');
      const id = conflict.conflict_id;
      const escalated = await sync.call('POST', `/api/sync/conflicts/${id}/escalate`, { to: 'carol', reason: 'financial impact' });
      expect(escalated.json()).toMatchObject({ resolution_status: 'escalated', escalated_to: 'carol' });
      expect((await sync.call('POST', `/api/sync/conflicts/${id}/resolve`, { choice: 'custom', reason: 'no value' })).statusCode).toBe(400);
      expect(
        (await sync.call('POST', `/api/sync/conflicts/${id}/resolve`, { choice: 'target', reason: 'local is right' })).statusCode,
      ).toBe(200);
      await settled(eventId, 'completed');
      expect((await consumer.entity(aggregateId))!.data).toEqual({ name: 'Local' });
      expect((await sync.call('GET', '/api/sync/conflicts/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    });

    it('auto-resolvable version mismatches resolve by themselves (source wins, by the database trigger)', async () => {
      const { aggregateId, eventId, conflict } = await conflictOn('au', { name: 'From ERP' }, { name: 'Local' });
      await settled(eventId, 'completed');
      expect((await consumer.entity(aggregateId))!.data).toEqual({ name: 'From ERP' });
      const detail = (await sync.call('GET', `/api/sync/conflicts/${conflict.conflict_id}`)).json();
      expect(detail).toMatchObject({
        resolution_status: 'resolved',
        resolution_strategy: 'source_wins',
        resolved_by: 'system_auto_resolver',
        auto_resolvable: true,
      });
      expect(detail.audit.map((entry: any) => entry.action)).toEqual(['detected', 'auto_resolved']);
    });
  });
}
