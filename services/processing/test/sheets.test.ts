import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import { testDatabases } from '@tributary/platform/testing';
import { expectRefused, startHarness, type Harness } from './support.js';

const blendsheet = (no: string, extra: object = {}) => ({
  blendsheet_no: no,
  standard: 'STD-1',
  grade: 'BOPF',
  remarks: 'breakfast',
  total: '1200.50',
  blend_code: 'BLT00192',
  mixtures: { tealine: [{ mixture_code: 'BOPF-PEDRO', no_of_bags: 6 }], blendbalance: [{ mixture_code: 'BB-OLD', weight: 12.5 }] },
  ...extra,
});

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: blendsheets, flavorsheets, batches and the trader workflow`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(target);
      await h.call('POST', '/app/admin/location', { location_name: 'STORE-A', herbline_section: false });
    });
    afterAll(() => h.close());

    it('creates a blendsheet with mixtures and lists it until its batches are made', async () => {
      expect((await h.call('POST', '/app/admin/blendsheet', blendsheet('BS/2024/0192'))).body).toEqual({ blendsheet_no: 'BS/2024/0192' });
      const detail = await h.call('GET', `/app/admin/blendsheet?blendsheet_no=${encodeURIComponent('BS/2024/0192')}`);
      expect(detail.body).toMatchObject({
        blendsheet_no: 'BS/2024/0192',
        standard: 'STD-1',
        remarks: 'breakfast',
        total: '1200.50',
        no_of_batches: 1,
        created_batches: 0,
        mixtures: { tealine: [{ mixture_code: 'BOPF-PEDRO', no_of_bags: 6 }], blendbalance: [{ mixture_code: 'BB-OLD', weight: '12.50' }] },
      });
      expect((await h.call('GET', '/app/blendsheet')).body).toEqual([
        { blendsheet_no: 'BS/2024/0192', standard: 'STD-1', no_of_batches: 1, created_batches: 0 },
      ]);
      await expectRefused(h, 409, 'BLENDSHEET_EXISTS', () => h.call('POST', '/app/admin/blendsheet', blendsheet('BS/2024/0192')));
      await expectRefused(h, 400, 'MIXTURE_DUPLICATE', () =>
        h.call(
          'POST',
          '/app/admin/blendsheet',
          blendsheet('BS-DUP', {
            mixtures: {
              tealine: [
                { mixture_code: 'A', no_of_bags: 1 },
                { mixture_code: 'A', no_of_bags: 2 },
              ],
            },
          }),
        ),
      );
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => h.call('POST', '/app/admin/blendsheet', blendsheet('BS-W', { total: '1.234' })));
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('POST', '/app/admin/blendsheet', { blendsheet_no: 'BS-X' }));
      await expectRefused(h, 404, 'BLENDSHEET_NOT_FOUND', () => h.call('GET', '/app/admin/blendsheet?blendsheet_no=nope'));
    });

    it('creates batches with generated item codes up to no_of_batches, and never lowers the count below them', async () => {
      const first = await h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS/2024/0192' });
      expect(first.body).toMatchObject({ blendsheet_no: 'BS/2024/0192', item_code: 'BS/2024/0192-B01' });
      expect(typeof first.body.created_ts).toBe('number');
      expect((await h.call('GET', '/app/blendsheet')).body).toEqual([]);
      await expectRefused(h, 409, 'BLENDSHEET_BATCH_LIMIT_REACHED', () =>
        h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS/2024/0192' }),
      );
      await expectRefused(h, 404, 'BLENDSHEET_NOT_FOUND', () => h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'nope' }));
      expect((await h.call('PUT', '/app/blendsheet', { blendsheet_no: 'BS/2024/0192', no_of_batches: 3 })).body).toEqual({
        blendsheet_no: 'BS/2024/0192',
        no_of_batches: 3,
      });
      expect((await h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS/2024/0192' })).body.item_code).toBe('BS/2024/0192-B02');
      await expectRefused(h, 409, 'BLENDSHEET_BATCHES_BELOW_CREATED', () =>
        h.call('PUT', '/app/blendsheet', { blendsheet_no: 'BS/2024/0192', no_of_batches: 1 }),
      );
      await expectRefused(h, 404, 'BLENDSHEET_NOT_FOUND', () =>
        h.call('PUT', '/app/blendsheet', { blendsheet_no: 'nope', no_of_batches: 2 }),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('PUT', '/app/blendsheet', { blendsheet_no: 'BS/2024/0192', no_of_batches: 0 }),
      );
    });

    it('never creates more batches than no_of_batches under concurrent requests', async () => {
      await h.call('POST', '/app/admin/blendsheet', blendsheet('BS-RACE', { no_of_batches: 3 }));
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS-RACE' })),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
      expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'BLENDSHEET_BATCH_LIMIT_REACHED')).toBe(true);
      expect(
        answers
          .filter((a) => a.status === 200)
          .map((a) => a.body.item_code)
          .sort(),
      ).toEqual(['BS-RACE-B01', 'BS-RACE-B02', 'BS-RACE-B03']);
    });

    it('runs QC → trader review with role guards, then completion', async () => {
      const batches = (await h.call('GET', '/app/blendsheet/batch')).body.filter((b: any) => b.blendsheet_no === 'BS/2024/0192');
      expect(batches).toHaveLength(2);
      const batch = { item_code: batches[0].item_code, created_ts: batches[0].created_ts };
      const trader = (status: string, roles: string[]) =>
        h.call('PUT', '/app/trader/blendsheet/batch', { ...batch, trader_status: status }, roles);

      await expectRefused(h, 409, 'TRADER_TRANSITION_INVALID', () => trader('TRADER_REQUESTED', ['SEEDUWA-OFFICER']));
      await expectRefused(h, 400, 'BATCH_UPDATE_INVALID', () => h.call('PUT', '/app/blendsheet/batch', { ...batch, humidity: 3 }));
      await expectRefused(h, 400, 'BATCH_UPDATE_INVALID', () =>
        h.call('PUT', '/app/blendsheet/batch', { ...batch, humidity: 3, density: 1, completed: true }),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('PUT', '/app/blendsheet/batch', { ...batch, humidity: -1, density: 1 }),
      );
      await expectRefused(h, 404, 'BATCH_NOT_FOUND', () =>
        h.call('PUT', '/app/blendsheet/batch', { item_code: 'nope', created_ts: 1, completed: true }),
      );
      expect((await h.call('PUT', '/app/blendsheet/batch', { ...batch, humidity: 3.5, density: 0.42 })).body).toEqual({
        ...batch,
        humidity: 3.5,
        density: 0.42,
      });
      expect((await h.call('GET', '/app/trader/blendsheet/batch')).body).toEqual([
        expect.objectContaining({ ...batch, trader_status: 'TRADER_PENDING', humidity: 3.5, blend_code: 'BLT00192', remarks: 'breakfast' }),
      ]);
      await expectRefused(h, 403, 'TRADER_ROLE_FORBIDDEN', () => trader('TRADER_REQUESTED', ['TRADER-OFFICER']));
      expect((await trader('TRADER_REQUESTED', ['SEEDUWA-OFFICER'])).body).toEqual({ ...batch, trader_status: 'TRADER_REQUESTED' });
      await expectRefused(h, 409, 'BATCH_QC_LOCKED', () => h.call('PUT', '/app/blendsheet/batch', { ...batch, humidity: 3, density: 1 }));
      await expectRefused(h, 403, 'TRADER_ROLE_FORBIDDEN', () => trader('TRADER_ALLOWED', ['TRADER-SUPERVISOR']));
      await expectRefused(h, 403, 'TRADER_ROLE_FORBIDDEN', () => trader('TRADER_ELEVATED', ['SEEDUWA-OFFICER', 'MASTER-ADMIN']));
      expect((await trader('TRADER_ELEVATED', ['TRADER-OFFICER'])).status).toBe(200);
      await expectRefused(h, 403, 'TRADER_ROLE_FORBIDDEN', () => trader('TRADER_ALLOWED', ['TRADER-OFFICER']));
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => trader('TRADER_MAYBE', ['TRADER-SUPERVISOR']));
      expect((await trader('TRADER_ALLOWED', ['TRADER-SUPERVISOR'])).body.trader_status).toBe('TRADER_ALLOWED');
      await expectRefused(h, 409, 'TRADER_TRANSITION_INVALID', () => trader('TRADER_BLOCKED', ['TRADER-SUPERVISOR']));
      expect((await h.call('GET', '/app/trader/blendsheet/batch?trader_status=TRADER_ALLOWED')).body.map((b: any) => b.item_code)).toEqual([
        batch.item_code,
      ]);

      const detail = await h.call(
        'GET',
        `/app/blendsheet/batch?item_code=${encodeURIComponent(batch.item_code)}&created_ts=${batch.created_ts}`,
      );
      expect(detail.body).toMatchObject({
        ...batch,
        standard: 'STD-1',
        total: '1200.50',
        blend_code: 'BLT00192',
        record_list: [],
        allocations: { tealine: [], blendbalance: [] },
      });
      expect((await h.call('PUT', '/app/blendsheet/batch', { ...batch, completed: true })).body).toEqual({ ...batch, completed: true });
      expect((await h.call('GET', '/app/blendsheet/batch')).body.map((b: any) => b.item_code)).not.toContain(batch.item_code);
      await expectRefused(h, 409, 'BATCH_COMPLETED', () => h.call('PUT', '/app/blendsheet/batch', { ...batch, completed: false }));
      await expectRefused(h, 409, 'BATCH_COMPLETED', () =>
        h.call('POST', '/app/blendsheet/record', { ...batch, store_location: 'STORE-A', gross_weight: 10, bag_weight: 1 }),
      );

      const events = await sql<{
        type: string;
        payload: string;
      }>`select type, payload from outbox where type like 'processing.batch.%' order by position`.execute(h.handle.database.db);
      const trail = events.rows
        .filter((e) => JSON.parse(e.payload).item_code === batch.item_code)
        .map((e) => [e.type, JSON.parse(e.payload).to ?? null]);
      expect(trail).toEqual([
        ['processing.batch.created', null],
        ['processing.batch.qc_recorded', null],
        ['processing.batch.trader_status_changed', 'TRADER_PENDING'],
        ['processing.batch.trader_status_changed', 'TRADER_REQUESTED'],
        ['processing.batch.trader_status_changed', 'TRADER_ELEVATED'],
        ['processing.batch.trader_status_changed', 'TRADER_ALLOWED'],
        ['processing.batch.completed', null],
      ]);
    });

    it('creates flavorsheets with one batch each', async () => {
      const sheet = {
        flavorsheet_no: 'FS/2024/0007',
        flavor_code: 'FLT00007',
        remarks: 'earl grey',
        mixtures: [{ mixture_code: 'BERGAMOT', weight: '2.25' }],
      };
      expect((await h.call('POST', '/app/admin/flavorsheet', sheet)).body).toEqual({ flavorsheet_no: 'FS/2024/0007' });
      await expectRefused(h, 409, 'FLAVORSHEET_EXISTS', () => h.call('POST', '/app/admin/flavorsheet', sheet));
      await expectRefused(h, 400, 'WEIGHT_INVALID', () =>
        h.call('POST', '/app/admin/flavorsheet', { ...sheet, flavorsheet_no: 'FS-2', mixtures: [{ mixture_code: 'A', weight: -1 }] }),
      );
      expect((await h.call('GET', '/app/flavorsheet')).body).toEqual([{ flavorsheet_no: 'FS/2024/0007', flavor_code: 'FLT00007' }]);
      const batch = await h.call('POST', '/app/flavorsheet/batch', { flavorsheet_no: 'FS/2024/0007' });
      expect(batch.body).toMatchObject({ flavorsheet_no: 'FS/2024/0007', item_code: 'FS/2024/0007-F01' });
      await expectRefused(h, 409, 'FLAVORSHEET_BATCH_EXISTS', () =>
        h.call('POST', '/app/flavorsheet/batch', { flavorsheet_no: 'FS/2024/0007' }),
      );
      await expectRefused(h, 404, 'FLAVORSHEET_NOT_FOUND', () => h.call('POST', '/app/flavorsheet/batch', { flavorsheet_no: 'nope' }));
      expect((await h.call('GET', '/app/flavorsheet')).body).toEqual([]);
      expect((await h.call('GET', '/app/admin/flavorsheet')).body).toEqual([
        { flavorsheet_no: 'FS/2024/0007', flavor_code: 'FLT00007', batch_created: true },
      ]);
      expect((await h.call('GET', '/app/admin/flavorsheet?flavorsheet_no=FS%2F2024%2F0007')).body).toMatchObject({
        remarks: 'earl grey',
        mixtures: [{ mixture_code: 'BERGAMOT', weight: '2.25' }],
        batch_created: true,
      });
      const key = { item_code: batch.body.item_code, created_ts: batch.body.created_ts };
      expect((await h.call('GET', '/app/flavorsheet/batch')).body).toEqual([
        { ...key, flavorsheet_no: 'FS/2024/0007', remarks: 'earl grey' },
      ]);
      const bag = await h.call('POST', '/app/flavorsheet/record', { ...key, store_location: 'STORE-A', gross_weight: 25, bag_weight: 0.5 });
      expect(bag.body.id).toBe(1);
      const detail = await h.call(
        'GET',
        `/app/flavorsheet/batch?item_code=${encodeURIComponent(key.item_code)}&created_ts=${key.created_ts}`,
      );
      expect(detail.body).toMatchObject({ flavor_code: 'FLT00007', allocations: { blendsheet: [], herbline: [] } });
      expect(detail.body.record_list).toHaveLength(1);
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('PUT', '/app/flavorsheet/batch', { ...key, humidity: 3, density: 1 }),
      );
      expect((await h.call('PUT', '/app/flavorsheet/batch', { ...key, completed: true })).body).toEqual({ ...key, completed: true });
      expect((await h.call('GET', '/app/flavorsheet/batch')).body).toEqual([]);
    });
  });
}
