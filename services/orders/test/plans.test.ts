import ExcelJS from 'exceljs';
import { testDatabases } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';
import { XLSX_MEDIA_TYPE } from '../src/features/plans/plan-upload.js';
import { lastSequence, multipartOf, PLAN_ROW, planAndRequest, signedBytes, useOrders } from './support.js';

async function workbook(rows: (string | number | Date | null)[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Plan');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const HEADER = [
  'Lot Code',
  'Order Code',
  'Item Code',
  'Production Date',
  'Stock',
  'Requirement',
  'Location',
  'Product Code',
  'Product Name',
  'Item Name',
  'Sub Location',
  'Plan Start',
  'Plan End',
];

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: /order/plan`, () => {
    const h = useOrders(target);

    it('aggregates JSON rows per order code, stages the raw rows and emits one event per plan', async () => {
      const before = await lastSequence(h);
      const response = await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [
        PLAN_ROW({ order_code: 'AGG-1', requirement: '1000.5', plan_start: '2026-03-05', plan_end: '2026-03-10', item_code: 'RAW-9' }),
        PLAN_ROW({ order_code: 'AGG-1', requirement: 250, plan_start: '2026-03-01', plan_end: '2026-03-20', item_code: 'X-BTL12345' }),
        PLAN_ROW({ order_code: 'AGG-2', requirement: '0.001', product_name: 'Green', item_code: 'PLAIN' }),
      ]);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual([
        {
          order_code: 'AGG-1',
          product_name: 'Breakfast blend',
          item_code: 'BTL12345',
          requirement: '1250.5',
          plan_start: '2026-03-01',
          plan_end: '2026-03-20',
        },
        {
          order_code: 'AGG-2',
          product_name: 'Green',
          item_code: 'PLAIN',
          requirement: '0.001',
          plan_start: '2026-03-01',
          plan_end: '2026-03-31',
        },
      ]);
      const raw = await h.handle.database.db
        .selectFrom('order_plan_raw')
        .select(['order_code', 'requirement', 'row_number'])
        .where('order_code', 'like', 'AGG-%')
        .orderBy('row_number')
        .execute();
      expect(raw).toEqual([
        { order_code: 'AGG-1', requirement: '1000.5', row_number: 1 },
        { order_code: 'AGG-1', requirement: '250', row_number: 2 },
        { order_code: 'AGG-2', requirement: '0.001', row_number: 3 },
      ]);
      const events = await h.outboxAfter(before);
      expect(events.map((e) => [e.type, e.aggregateId])).toEqual([
        ['orders.plan.upserted', 'AGG-1'],
        ['orders.plan.upserted', 'AGG-2'],
      ]);
      expect(events[0]!.payload).toMatchObject({ orderCode: 'AGG-1', requirementKg: '1250.5', planStart: '2026-03-01' });
    });

    it('replaces a re-uploaded plan', async () => {
      const response = await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [
        PLAN_ROW({ order_code: 'AGG-2', requirement: '7', product_name: 'Green' }),
      ]);
      expect(response.json()[0].requirement).toBe('7');
      const listed = await h.as('GRANDPASS-OFFICER', 'GET', '/order/plan?order_code=AGG-2');
      expect(listed.json()).toEqual([expect.objectContaining({ order_code: 'AGG-2', requirement: '7', allowed: '7', requests: [] })]);
    });

    it('reports every bad row and writes nothing', async () => {
      const before = await h.counts();
      const response = await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [
        PLAN_ROW({ order_code: 'BAD-1' }),
        PLAN_ROW({ order_code: 'BAD-1', product_name: 'Other' }),
        PLAN_ROW({ order_code: 'BAD-2', requirement: '0' }),
        PLAN_ROW({ order_code: 'BAD-3', requirement: '1.0001' }),
        PLAN_ROW({ order_code: 'BAD-4', plan_start: '2026-02-30' }),
        PLAN_ROW({ order_code: 'BAD-5', plan_start: '2026-03-10', plan_end: '2026-03-01' }),
        PLAN_ROW({ order_code: '  ' }),
        PLAN_ROW({ order_code: 'BAD-6', requirement: 'ten' }),
      ]);
      expect(response.statusCode).toBe(400);
      const body = response.json();
      expect(body.code).toBe('PLAN_ROWS_INVALID');
      expect(body.details.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`)).toEqual([
        '2:product_name',
        '3:requirement',
        '4:requirement',
        '5:plan_start',
        '6:plan_end',
        '7:order_code',
        '8:requirement',
      ]);
      expect(await h.counts()).toEqual(before);
    });

    it('refuses malformed JSON bodies with the schema code and writes nothing', async () => {
      const before = await h.counts();
      for (const body of [[], [{ order_code: 'X' }], [PLAN_ROW({ requirement: { kg: 1 } })], { not: 'an array' }]) {
        const response = await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', body);
        expect(response.statusCode).toBe(400);
        expect(response.json().code).toBe('REQUEST_VALIDATION_FAILED');
      }
      expect(await h.counts()).toEqual(before);
    });

    it('accepts the .xlsx itself, as the body and as a multipart field', async () => {
      const bytes = await workbook([
        HEADER,
        [
          'L1',
          'XL-1',
          'BLT00001',
          '2026-03-01',
          5,
          120.25,
          'GP',
          'P',
          'Xl product',
          'Item',
          'S',
          new Date(Date.UTC(2026, 3, 1)),
          '2026-04-30',
        ],
        [],
        ['L2', 'XL-1', 'BLT00001', '2026-03-01', 5, '79.75', 'GP', 'P', 'Xl product', 'Item', 'S', '2026-04-02', '2026-04-30'],
      ]);
      const raw = await signedBytes(h, 'GRANDPASS-ADMIN', '/order/plan', bytes, XLSX_MEDIA_TYPE);
      expect(raw.statusCode).toBe(200);
      expect(raw.json()).toEqual([
        {
          order_code: 'XL-1',
          product_name: 'Xl product',
          item_code: 'BLT00001',
          requirement: '200',
          plan_start: '2026-04-01',
          plan_end: '2026-04-30',
        },
      ]);
      const form = await multipartOf({ note: 'april', file: new Blob([bytes]) });
      const multipart = await signedBytes(h, 'GRANDPASS-ADMIN', '/order/plan', form.body, form.contentType);
      expect(multipart.statusCode).toBe(200);
      expect(multipart.json()[0].requirement).toBe('200');
    });

    it('reports spreadsheet rows by their sheet row number and writes nothing', async () => {
      const before = await h.counts();
      const bytes = await workbook([
        HEADER,
        ['L1', 'XL-2', 'I', '', '', '10', '', '', 'P', '', '', '2026-04-01', '2026-04-30'],
        ['L1', 'XL-2', 'I', '', '', '-3', '', '', 'P', '', '', '2026-04-01', '2026-04-30'],
      ]);
      const response = await signedBytes(h, 'GRANDPASS-ADMIN', '/order/plan', bytes, XLSX_MEDIA_TYPE);
      expect(response.statusCode).toBe(400);
      expect(response.json().details.errors).toEqual([{ row: 3, field: 'requirement', message: expect.any(String) }]);
      expect(await h.counts()).toEqual(before);
    });

    it('refuses files that are not plans', async () => {
      const before = await h.counts();
      const notZip = await signedBytes(
        h,
        'GRANDPASS-ADMIN',
        '/order/plan',
        new TextEncoder().encode('order_code,requirement'),
        XLSX_MEDIA_TYPE,
      );
      expect(notZip.json().code).toBe('PLAN_FILE_INVALID');
      const noColumns = await signedBytes(
        h,
        'GRANDPASS-ADMIN',
        '/order/plan',
        await workbook([
          ['Lot Code', 'Stock'],
          ['L', 1],
        ]),
        XLSX_MEDIA_TYPE,
      );
      expect(noColumns.statusCode).toBe(400);
      expect(noColumns.json()).toMatchObject({
        code: 'PLAN_FILE_INVALID',
        details: { missingColumns: ['order_code', 'product_name', 'requirement', 'plan_start', 'plan_end'] },
      });
      const noFile = await multipartOf({ note: 'nothing attached' });
      const formWithoutFile = await signedBytes(h, 'GRANDPASS-ADMIN', '/order/plan', noFile.body, noFile.contentType);
      expect(formWithoutFile.json().code).toBe('PLAN_FILE_INVALID');
      const text = await signedBytes(h, 'GRANDPASS-ADMIN', '/order/plan', new TextEncoder().encode('hello'), 'text/plain');
      expect(text.statusCode).toBe(400);
      expect(await h.counts()).toEqual(before);
    });

    it('lists plans with their shipments and the quantity still allowed', async () => {
      const rc = await planAndRequest(h, { orderCode: 'LIST-1', planKg: '500', requestKg: '120' });
      await planAndRequest(h, { orderCode: 'LIST-1', planKg: '500', requestKg: '900', status: 'APPROVAL_REQUESTED' });
      const response = await h.as('GRANDPASS-ADMIN', 'GET', '/order/plan?current_date=2026-03-01&order_code=LIST-1');
      expect(response.statusCode).toBe(200);
      const [plan] = response.json();
      expect(plan.allowed).toBe('380');
      expect(plan.requests).toEqual([
        { request_code: rc, shipment_code: 1, quantity: '120', status: 'ORDER_REQUESTED' },
        { request_code: rc + 1, shipment_code: 1, quantity: '900', status: 'APPROVAL_REQUESTED' },
      ]);
    });

    it('deletes an unused plan, refuses one in use (409) and an unknown one (404)', async () => {
      await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [PLAN_ROW({ order_code: 'DEL-1' })]);
      const before = await lastSequence(h);
      const deleted = await h.as('GRANDPASS-ADMIN', 'DELETE', '/order/plan?order_code=DEL-1');
      expect(deleted.statusCode).toBe(200);
      expect(deleted.json()).toEqual({ success: true });
      expect((await h.outboxAfter(before)).map((e) => e.type)).toEqual(['orders.plan.deleted']);
      expect((await h.as('GRANDPASS-ADMIN', 'GET', '/order/plan?order_code=DEL-1')).json()).toEqual([]);

      const counts = await h.counts();
      const inUse = await h.as('GRANDPASS-ADMIN', 'DELETE', '/order/plan?order_code=LIST-1');
      expect(inUse.statusCode).toBe(409);
      expect(inUse.json().code).toBe('PLAN_IN_USE');
      const unknown = await h.as('GRANDPASS-ADMIN', 'DELETE', '/order/plan?order_code=NOPE');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('PLAN_NOT_FOUND');
      expect(await h.counts()).toEqual(counts);
      await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [PLAN_ROW({ order_code: 'DEL-SCHEDULED' })]);
      await h.as('GRANDPASS-OFFICER', 'POST', '/order/schedule', [
        { schedule_date: '2026-03-02', order_code: 'DEL-SCHEDULED', shift: 'DAY', section: 'L1', quantity: '1' },
      ]);
      const scheduledCounts = await h.counts();
      const scheduled = await h.as('GRANDPASS-ADMIN', 'DELETE', '/order/plan?order_code=DEL-SCHEDULED');
      expect([scheduled.statusCode, scheduled.json().code]).toEqual([409, 'PLAN_IN_USE']);
      expect(await h.counts()).toEqual(scheduledCounts);
      const missingQuery = await h.as('GRANDPASS-ADMIN', 'DELETE', '/order/plan');
      expect(missingQuery.statusCode).toBe(400);
      expect(await h.counts()).toEqual(scheduledCounts);
    });

    it('refuses every group outside the permission matrix (403) and unsigned callers (401)', async () => {
      const before = await h.counts();
      for (const group of ['GRANDPASS-OFFICER', 'SEEDUWA-ADMIN', 'MASTER-ADMIN', 'TRADER-OFFICER']) {
        const upload = await h.as(group, 'POST', '/order/plan', [PLAN_ROW({ order_code: 'FORBIDDEN' })]);
        expect(upload.statusCode).toBe(403);
        expect(upload.json().code).toBe('ROLE_FORBIDDEN');
        expect((await h.as(group, 'DELETE', '/order/plan?order_code=LIST-1')).statusCode).toBe(403);
      }
      for (const group of ['SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS', 'TRADER-SUPERVISOR']) {
        expect((await h.as(group, 'GET', '/order/plan')).statusCode).toBe(403);
      }
      expect((await h.asService('processing', 'GET', '/order/plan')).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'GET', url: '/order/plan' })).statusCode).toBe(401);
      expect(await h.counts()).toEqual(before);
    });

    it('replays an upload retried with the same Idempotency-Key', async () => {
      const body = [PLAN_ROW({ order_code: 'IDEM-1' })];
      const first = await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', body, { 'idempotency-key': 'plan-upload-1' });
      const counts = await h.counts();
      const retry = await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', body, { 'idempotency-key': 'plan-upload-1' });
      expect(retry.statusCode).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      expect(await h.counts()).toEqual(counts);
      const reused = await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [PLAN_ROW({ order_code: 'IDEM-2' })], {
        'idempotency-key': 'plan-upload-1',
      });
      expect(reused.statusCode).toBe(422);
    });
  });
}
