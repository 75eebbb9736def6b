import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { type Harness, ok, outboxTypes, receive, startWithMasters } from './harness.js';

// Plant date in these tests: 2026-03-10 (Asia/Kolkata).

for (const target of testDatabases()) {
  describe(`${target.label}: batches, ledger and picking`, () => {
    let h: Harness;
    beforeAll(async () => (h = await startWithMasters(target)));
    afterAll(async () => h.close());

    it('applies the status rules: grade, quarantine, expiry; refuses bad batches', async () => {
      expect((await ok(receive(h, { batch_id: 'S-GRADE-A', expiry_date: '2026-06-01' }), 201)).status).toBe('Active');
      expect((await ok(receive(h, { batch_id: 'S-GRADE-B', quality_grade: 'B', expiry_date: '2026-06-01' }), 201)).status).toBe(
        'Quarantine',
      );
      expect((await ok(receive(h, { batch_id: 'S-GRADE-C', quality_grade: 'C', expiry_date: '2026-06-01' }), 201)).status).toBe('Rejected');
      const old = await ok(receive(h, { batch_id: 'S-OLD', expiry_date: '2026-03-10' }), 201);
      expect(old.status).toBe('Expired');
      expect(old.alert_level).toBe('Expired');
      const auto = await ok(
        receive(h, {
          expiry_date: '2026-06-01',
          nutritional_info: { energy_kcal: 480 },
          allergen_info: 'nuts',
          storage_temperature_min: '15',
          storage_temperature_max: '22',
        }),
        201,
      );
      expect(auto.name).toBe('SWEET--20260201-001');
      expect(auto.nutritional_info).toEqual({ energy_kcal: 480 });
      expect(auto.shelf_life_days).toBe(120);
      const codes = async (body: Record<string, unknown>) => (await receive(h, body)).json().code;
      expect(await codes({ expiry_date: '2026-06-01', manufacturing_date: '2026-03-11' })).toBe('BATCH_DATES_INVALID');
      expect(await codes({ expiry_date: '2026-01-01' })).toBe('BATCH_DATES_INVALID');
      expect(await codes({ expiry_date: '2026-06-01', sugar_content_percentage: '90' })).toBe('BATCH_QUALITY_INVALID');
      expect(await codes({ expiry_date: '2026-06-01', moisture_content_percentage: '30' })).toBe('BATCH_QUALITY_INVALID');
      expect(await codes({ expiry_date: '2026-06-01', item: 'NOPE' })).toBe('ITEM_NOT_FOUND');
      expect(await codes({ expiry_date: '2026-06-01', batch_id: 'S-GRADE-A' })).toBe('BATCH_EXISTS');
      expect((await receive(h, { expiry_date: '2026-06-01', qty: '-1' })).statusCode).toBe(400);
      expect((await receive(h, { expiry_date: '2026-02-30' })).statusCode).toBe(400);
      expect((await receive(h, { expiry_date: '2026-06-01', manufacturing_date: '2026-13-01' })).statusCode).toBe(400);
      expect((await receive(h, { expiry_date: '2026-06-01', qty: '1e3' })).statusCode).toBe(400);

      const released = await ok(h.call('POST', '/batches/S-GRADE-B/status', { status: 'Active', reason: 'lab passed' }));
      expect(released.status).toBe('Active');
      expect((await h.call('POST', '/batches/S-GRADE-C/status', { status: 'Active' })).json().code).toBe('BATCH_STATUS_TRANSITION');
      expect((await h.call('POST', '/batches/S-OLD/status', { status: 'Active' })).json().code).toBe('BATCH_STATUS_TRANSITION');
      const patched = await ok(h.call('PATCH', '/batches/S-GRADE-A', { quality_tested: true, storage_humidity_max: '60' }));
      expect(patched.quality_tested).toBe(true);
    });

    it('keeps the ledger append-only and consistent: consume once, reverse once, no double decrement', async () => {
      await ok(receive(h, { batch_id: 'L-1', expiry_date: '2026-06-01', item: 'CHOC-1', fat_content_percentage: '40' }), 201);
      const consumed = await ok(
        h.call('POST', '/stock/consume', {
          lines: [{ item: 'CHOC-1', warehouse: 'WH-A', qty: '6' }],
          reference_doctype: 'Sales Invoice',
          reference_name: 'SI-1',
        }),
      );
      expect(consumed.movements).toHaveLength(1);
      let batch = await ok(h.call('GET', '/batches/L-1'));
      expect(batch.available_qty).toBe('4');
      expect(batch.sold_qty).toBe('6');
      const reversal = await ok(h.call('POST', `/movements/${consumed.movements[0].name}/reverse`, { reason: 'invoice cancelled' }), 201);
      expect(reversal.qty_after).toBe('10');
      expect((await h.call('POST', `/movements/${consumed.movements[0].name}/reverse`, { reason: 'again' })).json().code).toBe(
        'MOVEMENT_ALREADY_REVERSED',
      );
      expect((await h.call('POST', `/movements/${reversal.name}/reverse`, { reason: 'x' })).json().code).toBe('MOVEMENT_NOT_REVERSIBLE');
      await ok(h.call('POST', '/stock/consume', { lines: [{ item: 'CHOC-1', warehouse: 'WH-A', qty: '10' }] }));
      batch = await ok(h.call('GET', '/batches/L-1'));
      expect(batch.status).toBe('Consumed');
      await ok(h.call('POST', '/batches/L-1/receipts', { qty: '5' }), 201);
      expect((await ok(h.call('GET', '/batches/L-1'))).status).toBe('Active');
      await ok(h.call('POST', '/batches/L-1/adjustments', { qty_change: '-2', reason: 'damaged in transit' }), 201);
      expect((await h.call('POST', '/batches/L-1/adjustments', { qty_change: '-4', reason: 'too much' })).json().code).toBe(
        'INSUFFICIENT_STOCK',
      );
      const ledger = await ok(h.call('GET', '/batches/L-1/movements'));
      expect(ledger.data.map((m: any) => m.movement_type)).toEqual([
        'RECEIPT',
        'CONSUMPTION',
        'REVERSAL',
        'CONSUMPTION',
        'RECEIPT',
        'ADJUSTMENT',
      ]);
      expect(ledger.data.map((m: any) => m.qty_after)).toEqual(['10', '4', '10', '0', '5', '3']);
      expect(await ok(h.call('GET', '/batches/L-1/ledger-check'))).toMatchObject({
        available_qty: '3',
        ledger_sum: '3',
        movements: 6,
        consistent: true,
      });
      const types = await outboxTypes(h);
      expect(types).toContain('erp.batch.consumed');
      expect(types).toContain('erp.batch.movement_reversed');
    });

    it('FEFO picks the earliest-expiring usable batch across expired, quarantined, recalled, empty and partially consumed batches', async () => {
      const mk = (id: string, body: Record<string, unknown>) => ok(receive(h, { batch_id: id, item: 'PLAIN-1', ...body }), 201);
      await mk('F-EXPIRED', { expiry_date: '2026-03-09', manufacturing_date: '2026-01-01' });
      await mk('F-TODAY', { expiry_date: '2026-03-10', manufacturing_date: '2026-01-02' });
      await mk('F-QUAR', { expiry_date: '2026-03-11', quality_grade: 'B' });
      await mk('F-RECALL', { expiry_date: '2026-03-11' });
      await ok(h.call('POST', '/batches/F-RECALL/status', { status: 'Recalled' }));
      await mk('F-EMPTY', { expiry_date: '2026-03-11' });
      await ok(h.call('POST', '/stock/consume', { lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '10', batches: ['F-EMPTY'] }] }));
      await mk('F-OTHER-WH', { expiry_date: '2026-03-11', warehouse: 'WH-B' });
      await mk('F-PARTIAL', { expiry_date: '2026-03-13', manufacturing_date: '2026-02-15' });
      await ok(h.call('POST', '/stock/consume', { lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '6', batches: ['F-PARTIAL'] }] }));
      await mk('F-SAME-EXPIRY', { expiry_date: '2026-03-13', manufacturing_date: '2026-02-20' });
      await mk('F-LATE', { expiry_date: '2026-03-20', manufacturing_date: '2026-01-20', qty: '100' });

      const fefo = await ok(h.call('POST', '/stock/pick', { lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '20' }] }));
      expect(fefo.lines[0].allocations.map((a: any) => [a.batch, a.qty])).toEqual([
        ['F-PARTIAL', '4'],
        ['F-SAME-EXPIRY', '10'],
        ['F-LATE', '6'],
      ]);
      expect(fefo.lines[0].shortage).toBe('0');
      expect(fefo.fully_allocated).toBe(true);
      const fifo = await ok(
        h.call('POST', '/stock/pick', { strategy: 'FIFO', lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '20' }] }),
      );
      expect(fifo.lines[0].allocations.map((a: any) => [a.batch, a.qty])).toEqual([['F-LATE', '20']]);
      const short = await ok(h.call('POST', '/stock/pick', { lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '150' }] }));
      expect(short.lines[0]).toMatchObject({ total_allocated: '114', shortage: '36' });
      const shelf = await ok(
        h.call('POST', '/stock/pick', { min_shelf_life_days: 5, lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '5' }] }),
      );
      expect(shelf.lines[0].allocations.map((a: any) => a.batch)).toEqual(['F-LATE']);
      // Two lines of one item share the stock: the second does not get what the first was promised.
      const two = await ok(
        h.call('POST', '/stock/pick', {
          lines: [
            { item: 'PLAIN-1', warehouse: 'WH-A', qty: '4' },
            { item: 'PLAIN-1', warehouse: 'WH-A', qty: '3' },
          ],
        }),
      );
      expect(two.lines[1].allocations.map((a: any) => [a.batch, a.qty])).toEqual([['F-SAME-EXPIRY', '3']]);
      // Naming an unusable batch does not bypass the rules.
      const named = await ok(
        h.call('POST', '/stock/pick', { lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '1', batches: ['F-QUAR', 'F-EXPIRED'] }] }),
      );
      expect(named.lines[0].shortage).toBe('1');
      const refused = await h.call('POST', '/stock/consume', { lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '500' }] });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('INSUFFICIENT_STOCK');
      expect((await ok(h.call('GET', '/batches/F-LATE'))).available_qty).toBe('100');
      // The consumption path uses the same order as the plan.
      const consumed = await ok(h.call('POST', '/stock/consume', { lines: [{ item: 'PLAIN-1', warehouse: 'WH-A', qty: '20' }] }));
      expect(consumed.lines[0].allocations).toEqual(fefo.lines[0].allocations);
    });

    it('plans past the first page of batches and serves named batches beyond it', async () => {
      await ok(h.call('POST', '/items', { item_code: 'MANY', item_group: 'Snacks' }), 201);
      for (let i = 0; i < 40; i++) {
        await ok(
          h.call('POST', '/batches', {
            batch_id: `M-${String(i).padStart(2, '0')}`,
            item: 'MANY',
            warehouse: 'WH-A',
            qty: '1',
            manufacturing_date: '2026-03-01',
            expiry_date: `2026-0${4 + Math.floor(i / 28)}-${String(1 + (i % 28)).padStart(2, '0')}`,
          }),
          201,
        );
      }
      const plan = await ok(h.call('POST', '/stock/pick', { lines: [{ item: 'MANY', warehouse: 'WH-A', qty: '30' }] }));
      expect(plan.lines[0].allocations.map((a: any) => a.batch)).toEqual(
        Array.from({ length: 30 }, (_, i) => `M-${String(i).padStart(2, '0')}`),
      );
      const named = await ok(
        h.call('POST', '/stock/pick', {
          lines: [
            { item: 'MANY', warehouse: 'WH-A', qty: '1' },
            { item: 'MANY', warehouse: 'WH-A', qty: '1', batches: ['M-39'] },
          ],
        }),
      );
      expect(named.lines.map((l: any) => l.allocations[0].batch)).toEqual(['M-00', 'M-39']);
      const all = await ok(h.call('POST', '/stock/pick', { lines: [{ item: 'MANY', warehouse: 'WH-A', qty: '45' }] }));
      expect(all.lines[0]).toMatchObject({ total_allocated: '40', shortage: '5' });
    });

    it('transfers by the picking order into a sibling batch with both ledgers intact', async () => {
      await ok(receive(h, { batch_id: 'T-1', expiry_date: '2026-05-01', qty: '50' }), 201);
      const moved = await ok(h.call('POST', '/batches/T-1/transfer', { to_warehouse: 'WH-B', qty: '30' }), 201);
      expect(moved.moves).toHaveLength(1);
      const sibling = await ok(h.call('GET', `/batches/${moved.moves[0].to_batch}`));
      expect(sibling).toMatchObject({ warehouse: 'WH-B', available_qty: '30', expiry_date: '2026-05-01', source_batch: 'T-1' });
      expect((await ok(h.call('GET', '/batches/T-1'))).available_qty).toBe('20');
      await ok(h.call('POST', '/batches/T-1/transfer', { to_warehouse: 'WH-B', qty: '5' }), 201);
      expect((await ok(h.call('GET', `/batches/${moved.moves[0].to_batch}`))).available_qty).toBe('35');
      expect((await ok(h.call('GET', `/batches/${moved.moves[0].to_batch}/ledger-check`))).consistent).toBe(true);
      expect((await h.call('POST', '/batches/T-1/transfer', { to_warehouse: 'WH-B', qty: '100' })).json().code).toBe('INSUFFICIENT_STOCK');
      expect((await h.call('POST', '/batches/T-1/transfer', { to_warehouse: 'WH-A', qty: '1' })).statusCode).toBe(400);
    });

    it('reports expiry alert levels and the scanner emits each level change once', async () => {
      // The alert gauge, scraped as Prometheus does: batches with stock expiring within 7 days.
      const expiringWithinWeek = async () =>
        Number(/^erp_batches_expiring\{within_days="7",service="erp"\} (\d+)$/m.exec((await h.call('GET', '/metrics')).body)?.[1]);
      const before = await expiringWithinWeek();
      await ok(h.call('POST', '/items', { item_code: 'EXP-1', item_group: 'Snacks' }), 201);
      for (const [id, expiry] of [
        ['E-CRIT', '2026-03-17'],
        ['E-WARN', '2026-04-09'],
        ['E-NORMAL', '2026-04-10'],
        ['E-GONE', '2026-03-10'],
      ] as const) {
        await ok(
          h.call('POST', '/batches', {
            batch_id: id,
            item: 'EXP-1',
            warehouse: 'WH-A',
            qty: '2',
            manufacturing_date: '2026-03-01',
            expiry_date: expiry,
            unit_cost: '10',
          }),
          201,
        );
      }
      // E-CRIT alone: E-GONE expires today (already expired), the others later than a week.
      expect((await expiringWithinWeek()) - before).toBe(1);
      const list = await ok(h.call('GET', '/batches/expiring?item=EXP-1'));
      expect(list.data.map((b: any) => [b.name, b.alert_level, b.days_to_expiry])).toEqual([
        ['E-GONE', 'Expired', 0],
        ['E-CRIT', 'Critical', 7],
        ['E-WARN', 'Warning', 30],
      ]);
      expect(list.data[0].potential_loss_value).toBe('20');
      const custom = await ok(h.call('GET', '/batches/expiring?item=EXP-1&critical_days=3&warning_days=40'));
      expect(custom.data.map((b: any) => b.alert_level)).toEqual(['Expired', 'Warning', 'Warning', 'Warning']);
      const scan = await ok(h.call('POST', '/batches/expiry-scan', {}));
      expect(
        scan.alerted
          .filter((a: any) => a.batch.startsWith('E-'))
          .map((a: any) => a.batch)
          .sort(),
      ).toEqual(['E-CRIT', 'E-GONE', 'E-WARN']);
      expect((await ok(h.call('POST', '/batches/expiry-scan', {}))).alerted).toEqual([]);
      expect((await ok(h.call('GET', '/batches/E-GONE'))).stored_status).toBe('Expired');
      // A week later E-CRIT has expired and E-WARN is closer: new events, once.
      h.clock.advance(7 * 86_400_000);
      const later = await ok(h.call('POST', '/batches/expiry-scan', {}));
      expect(later.alerted.filter((a: any) => a.batch.startsWith('E-')).map((a: any) => [a.batch, a.alert_level])).toEqual([
        ['E-CRIT', 'Expired'],
        ['E-NORMAL', 'Warning'],
      ]);
      h.clock.advance(-7 * 86_400_000);
      expect((await outboxTypes(h)).filter((t) => t === 'erp.batch.expiring').length).toBeGreaterThanOrEqual(4);
    });

    it('computes reorder level, reorder quantity and safety stock from plant-day consumption history', async () => {
      await ok(h.call('POST', '/items', { item_code: 'OPT-1', item_group: 'Snacks' }), 201);
      await ok(
        h.call('POST', '/batches', {
          batch_id: 'O-1',
          item: 'OPT-1',
          warehouse: 'WH-A',
          qty: '1000',
          manufacturing_date: '2026-03-01',
          expiry_date: '2027-03-01',
          unit_cost: '20',
        }),
        201,
      );
      const start = h.clock.now();
      // Seven plant days before today: 0, 20, 0, 20, 0, 20, 0 (consumed at 23:00 local, still the same plant day).
      for (let day = 7; day >= 1; day--) {
        const qty = day % 2 === 0 ? '20' : '0';
        if (qty === '0') continue;
        h.clock.set(start - day * 86_400_000 + 10.5 * 3_600_000);
        await ok(h.call('POST', '/stock/consume', { lines: [{ item: 'OPT-1', warehouse: 'WH-A', qty }] }));
      }
      h.clock.set(start);
      const result = await ok(
        h.call('POST', '/stock/optimisation', {
          item: 'OPT-1',
          warehouse: 'WH-A',
          lookback_days: 7,
          lead_time_days: 4,
          service_level_target: '95',
        }),
      );
      expect(result.avg_daily_consumption).toBe('8.571429');
      expect(result.z).toBe('1.6449');
      expect(Number(result.demand_std_dev)).toBeCloseTo(10.69, 3);
      expect(Number(result.safety_stock)).toBeCloseTo(35.17, 1);
      expect(Number(result.reorder_level)).toBeCloseTo(34.286 + 35.17, 1);
      expect(result.reorder_qty_method).toBe('one month of demand');
      const eoq = await ok(
        h.call('POST', '/stock/optimisation', { item: 'OPT-1', warehouse: 'WH-A', ordering_cost: '500', holding_cost_percentage: '20' }),
      );
      expect(eoq.reorder_qty_method).toBe('EOQ');
      // √(2 · 8.571429·365 · 500 / (20 · 0.2)) ≈ 884.5
      expect(Number(eoq.reorder_qty)).toBeCloseTo(884.5, 0);
      expect(await outboxTypes(h)).toContain('erp.stock.optimisation_updated');
      const stored = await ok(h.call('GET', '/stock/optimisation?item=OPT-1'));
      expect(stored.data).toHaveLength(1);
      expect(stored.data[0]).toMatchObject({
        reorder_qty: eoq.reorder_qty,
        reorder_qty_method: 'EOQ',
        lookback_days: 7,
        lead_time_days: 4,
      });
    });
  });
}
