import { NEXT_CURSOR_HEADER } from '@tributary/platform/core';
import { testDatabases } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_ROW, startOrders, type OrdersHarness } from './support.js';

const TOTAL = 250;
/** Five start dates, so many rows share the first key column and the second decides. */
const day = (i: number) => `2026-03-0${(i % 5) + 1}`;

/** Every page of a list, following X-Next-Cursor; fails on a refused page. */
async function walk(
  h: OrdersHarness,
  group: string,
  path: string,
  limit: number,
): Promise<{ sizes: number[]; rows: Record<string, unknown>[] }> {
  const sizes: number[] = [];
  const rows: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  for (;;) {
    const answer = await h.as(group, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(answer.statusCode).toBe(200);
    const page = answer.json() as Record<string, unknown>[];
    sizes.push(page.length);
    rows.push(...page);
    const next = answer.headers[NEXT_CURSOR_HEADER];
    if (typeof next !== 'string') return { sizes, rows };
    cursor = next;
  }
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: plans and schedules in pages`, () => {
    let h: OrdersHarness;
    beforeAll(async () => {
      h = await startOrders(target);
      const plans = Array.from({ length: TOTAL }, (_, i) =>
        PLAN_ROW({ order_code: `P-${String(i).padStart(3, '0')}`, plan_start: day(i), plan_end: '2026-03-31', requirement: '1000' }),
      );
      expect((await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', plans)).statusCode).toBe(200);
      const schedules = Array.from({ length: TOTAL }, (_, i) => ({
        schedule_date: day(i),
        order_code: 'P-000',
        shift: 'DAY',
        section: `S${i}`,
        quantity: '1',
      }));
      expect((await h.as('GRANDPASS-OFFICER', 'POST', '/order/schedule', schedules)).statusCode).toBe(200);
    });
    afterAll(async () => {
      await h.close();
    });

    it('walks every plan once, in the unpaged order', async () => {
      const all = (await h.as('GRANDPASS-OFFICER', 'GET', '/order/plan')).json() as { order_code: string }[];
      expect(all).toHaveLength(TOTAL);
      const { sizes, rows } = await walk(h, 'GRANDPASS-OFFICER', '/order/plan', 60);
      expect(sizes).toEqual([60, 60, 60, 60, 10]);
      expect(new Set(rows.map((plan) => plan.order_code)).size).toBe(TOTAL);
      expect(rows.map((plan) => plan.order_code)).toEqual(all.map((plan) => plan.order_code));
    });

    it('walks every schedule once, in the unpaged order, also under a filter', async () => {
      const all = (await h.as('GRANDPASS-OFFICER', 'GET', '/order/schedule')).json() as { schedule_code: number }[];
      expect(all).toHaveLength(TOTAL);
      const { sizes, rows } = await walk(h, 'GRANDPASS-OFFICER', '/order/schedule', 100);
      expect(sizes).toEqual([100, 100, 50]);
      expect(new Set(rows.map((schedule) => schedule.schedule_code)).size).toBe(TOTAL);
      expect(rows.map((schedule) => schedule.schedule_code)).toEqual(all.map((schedule) => schedule.schedule_code));
      const oneDay = await walk(h, 'GRANDPASS-OFFICER', `/order/schedule?schedule_date=${day(0)}`, 20);
      expect([oneDay.sizes, oneDay.rows.every((schedule) => schedule.schedule_date === day(0))]).toEqual([[20, 20, 10], true]);
    });

    it("refuses another list's cursor and a limit out of range, and changes nothing", async () => {
      const before = await h.counts();
      const plansPage = await h.as('GRANDPASS-OFFICER', 'GET', '/order/plan?limit=1');
      const planCursor = String(plansPage.headers[NEXT_CURSOR_HEADER]);
      const refusals: [string, string][] = [
        [`/order/schedule?cursor=${planCursor}`, 'CURSOR_INVALID'],
        ['/order/plan?cursor=e30', 'CURSOR_INVALID'],
        ['/order/schedule?limit=1001', 'REQUEST_VALIDATION_FAILED'],
        ['/order/plan?limit=-1', 'REQUEST_VALIDATION_FAILED'],
      ];
      for (const [url, code] of refusals) {
        const answer = await h.as('GRANDPASS-OFFICER', 'GET', url);
        expect([url, answer.statusCode, answer.json().code]).toEqual([url, 400, code]);
      }
      expect(await h.counts()).toEqual(before);
    });
  });
}
