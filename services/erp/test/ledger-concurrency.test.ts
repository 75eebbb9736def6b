import { dec } from '@tributary/platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { type Harness, ok, startWithMasters } from './harness.js';

const CONSUMERS = 32;

async function stockUp(h: Harness, prefix: string): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < 4; i++) {
    const name = `${prefix}-${i}`;
    await ok(
      h.call('POST', '/batches', {
        batch_id: name,
        item: 'PLAIN-1',
        warehouse: 'WH-A',
        qty: '25',
        manufacturing_date: `2026-02-0${i + 1}`,
        expiry_date: `2026-04-0${4 - i}`,
      }),
      201,
    );
    names.push(name);
  }
  return names;
}

async function audit(h: Harness, batches: string[]) {
  let available = dec(0);
  for (const batch of batches) {
    const check = await ok(h.call('GET', `/batches/${batch}/ledger-check`));
    expect(check.consistent).toBe(true);
    expect(dec(check.available_qty).gte(0)).toBe(true);
    available = available.plus(check.available_qty);
  }
  const movements = await h.handle.database.db
    .selectFrom('tabHD Batch Movement')
    .select(['name', 'qty_change'])
    .where('batch_id', 'in', batches)
    .where('movement_type', '=', 'CONSUMPTION')
    .execute();
  return { available, movements: movements as { name: string; qty_change: string }[] };
}

for (const target of testDatabases()) {
  describe(`${target.label}: ledger under ${CONSUMERS} concurrent consumers`, () => {
    let h: Harness;
    beforeAll(async () => (h = await startWithMasters(target)));
    afterAll(async () => h.close());

    it('FEFO consumers of the same batches: exactly the stock is consumed, never more, no movement lost', async () => {
      const batches = await stockUp(h, 'CC');
      const responses = await Promise.all(
        Array.from({ length: CONSUMERS }, (_, i) =>
          h.call('POST', '/stock/consume', {
            lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '4' }],
            reference_doctype: 'Sales Invoice',
            reference_name: `SI-${i}`,
          }),
        ),
      );
      const succeeded = responses.filter((r) => r.statusCode === 200);
      const refused = responses.filter((r) => r.statusCode === 409);
      expect(succeeded).toHaveLength(25);
      expect(refused).toHaveLength(CONSUMERS - 25);
      for (const r of refused) expect(r.json().code).toBe('INSUFFICIENT_STOCK');
      const { available, movements } = await audit(h, batches);
      expect(available.toFixed()).toBe('0');
      const reported = succeeded.flatMap((r) => r.json().movements.map((m: any) => m.name)).sort();
      expect(movements.map((m) => m.name).sort()).toEqual(reported);
      expect(movements.reduce((s, m) => s.minus(m.qty_change), dec(0)).toFixed()).toBe('100');
      // Earliest expiry went first: the batch expiring 2026-04-01 was drained by the first consumers.
      const first = succeeded.map((r) => r.json()).find((body) => body.lines[0].allocations[0].available_before === '25');
      expect(first.lines[0].allocations[0].batch).toBe('CC-3');
    });

    it('mixed FEFO, FIFO, named-batch and partial consumers keep every invariant', async () => {
      const batches = await stockUp(h, 'MX');
      const body = (i: number) => {
        const line = { item: 'PLAIN-1', warehouse: 'WH-A', qty: String(3 + (i % 4)) };
        switch (i % 4) {
          case 0:
            return { lines: [line] };
          case 1:
            return { strategy: 'FIFO', lines: [line] };
          case 2:
            return { lines: [{ ...line, batches: [batches[i % batches.length]!] }] };
          default:
            return { allow_partial: true, lines: [line] };
        }
      };
      const responses = await Promise.all(Array.from({ length: CONSUMERS }, (_, i) => h.call('POST', '/stock/consume', body(i))));
      for (const r of responses) expect([200, 409]).toContain(r.statusCode);
      const consumedByResponses = responses
        .filter((r) => r.statusCode === 200)
        .reduce((s, r) => s.plus(r.json().lines.reduce((t: any, l: any) => t.plus(l.total_allocated), dec(0))), dec(0));
      const { available, movements } = await audit(h, batches);
      const consumedByLedger = movements.reduce((s, m) => s.minus(m.qty_change), dec(0));
      expect(consumedByLedger.toFixed()).toBe(consumedByResponses.toFixed());
      expect(available.plus(consumedByLedger).toFixed()).toBe('100');
      expect(available.gte(0)).toBe(true);
    });
  });
}
