import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import { testDatabases } from '@tributary/platform/testing';
import { consumptionTables, MATERIALS, recordTable, SHIPPABLE } from '../src/domain/materials.js';
import { startHarness, type Harness } from './support.js';

/** Every refusal the concurrent commands below may meet; anything else (or a 5xx) fails the property. */
const EXPECTED_REFUSALS = new Set([
  'ALLOCATION_EXCEEDS_AVAILABLE',
  'RECORD_DISPATCHED',
  'RECORD_NOT_ELIGIBLE',
  'RECORD_REDUCE_EXCEEDS_REMAINING',
  'PARCEL_WITHOUT_SHIPMENT_ALLOCATION',
  'PARCEL_EXCEEDS_SHIPMENT_ALLOCATION',
  'ALLOCATION_HAS_PARCELS',
  'BATCH_TRADER_BLOCKED',
  'BATCH_NOT_TRADER_ALLOWED',
  'BATCH_COMPLETED',
  'TRADER_TRANSITION_INVALID',
  'BLENDSHEET_BATCH_LIMIT_REACHED',
]);

const amount = fc.integer({ min: 1, max: 1500 }).map((cents) => (cents / 100).toFixed(2));
const bagIndex = fc.integer({ min: 0, max: 3 });
const shipment = fc.record({ request: fc.integer({ min: 1, max: 3 }), shipment: fc.integer({ min: 1, max: 2 }) });
const shippable = fc.constantFrom('tealine', 'blendsheet');

const command = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('ship' as const), table: shippable, bag: bagIndex, to: shipment, amount }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('feed' as const),
      table: fc.constantFrom('tealine', 'blendbalance'),
      bag: bagIndex,
      batch: fc.constantFrom(0, 1),
      amount,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flavor' as const), table: fc.constant('blendsheet'), bag: bagIndex, amount }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('parcel' as const),
      table: shippable,
      bag: bagIndex,
      to: shipment,
      schedule: fc.integer({ min: 1, max: 3 }),
      amount,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unship' as const), table: shippable, bag: bagIndex, to: shipment }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reduce' as const),
      table: fc.constantFrom('tealine', 'blendbalance'),
      bag: bagIndex,
      amount,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dispatch' as const), table: shippable, bag: bagIndex }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('decide' as const), status: fc.constantFrom('TRADER_ALLOWED', 'TRADER_BLOCKED') }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('batch' as const) }) },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

interface Round {
  bags: Record<'tealine' | 'blendbalance' | 'blendsheet', string[]>;
  batches: { item_code: string; created_ts: number }[];
  review: { item_code: string; created_ts: number };
  flavour: { item_code: string; created_ts: number };
  sheet: string;
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: concurrent allocations never break an invariant`, () => {
    let h: Harness;
    let round = 0;
    beforeAll(async () => {
      h = await startHarness(target);
      await h.call('POST', '/app/admin/location', { location_name: 'STORE-A', herbline_section: false });
    });
    afterAll(() => h.close());

    /** Fresh bags per run: 4 tealine, 4 blendbalance, 4 blend output bags of a batch under trader review. */
    async function setUp(): Promise<Round> {
      round += 1;
      const ok = async (method: 'POST' | 'PUT', url: string, body: unknown, roles?: string[]) => {
        const response = await h.call(method, url, body, roles);
        expect(response.status, `${url} ${response.text}`).toBe(200);
        return response.body;
      };
      const bag = { store_location: 'STORE-A', bag_weight: '0.50' };
      const tea = await ok('POST', '/app/admin/tealine', { item_code: `T-${round}`, no_of_bags: 4, weight_per_bag: 10 });
      const bb = await ok('POST', '/app/admin/blendbalance', { item_code: `BB-${round}`, blend_code: 'B', transfer_id: 'T', weight: 100 });
      const sheet = `BS-${round}`;
      await ok('POST', '/app/admin/blendsheet', {
        blendsheet_no: sheet,
        standard: 'S',
        remarks: 'r',
        total: 10,
        no_of_batches: 4,
        mixtures: {},
      });
      const review = await ok('POST', '/app/blendsheet/batch', { blendsheet_no: sheet });
      const open = await ok('POST', '/app/blendsheet/batch', { blendsheet_no: sheet });
      const done = await ok('POST', '/app/blendsheet/batch', { blendsheet_no: sheet });
      await ok('PUT', '/app/blendsheet/batch', { item_code: done.item_code, created_ts: done.created_ts, completed: true });
      const bags: Round['bags'] = { tealine: [], blendbalance: [], blendsheet: [] };
      for (let i = 0; i < 4; i++) {
        bags.tealine.push((await ok('POST', '/app/tealine/record', { ...tea, ...bag, gross_weight: `${10 + i}.50` })).barcode);
        bags.blendbalance.push((await ok('POST', '/app/blendbalance/record', { ...bb, ...bag, gross_weight: '8.25' })).barcode);
        bags.blendsheet.push(
          (
            await ok('POST', '/app/blendsheet/record', {
              item_code: review.item_code,
              created_ts: review.created_ts,
              ...bag,
              gross_weight: '12.00',
            })
          ).barcode,
        );
      }
      const key = { item_code: review.item_code, created_ts: review.created_ts };
      await ok('PUT', '/app/blendsheet/batch', { ...key, humidity: 3, density: 0.4 });
      await ok('PUT', '/app/trader/blendsheet/batch', { ...key, trader_status: 'TRADER_REQUESTED' }, ['SEEDUWA-OFFICER']);
      await ok('POST', '/app/admin/flavorsheet', { flavorsheet_no: `FS-${round}`, flavor_code: 'F', remarks: 'r', mixtures: [] });
      const flavour = await ok('POST', '/app/flavorsheet/batch', { flavorsheet_no: `FS-${round}` });
      return {
        bags,
        batches: [open, done].map((b) => ({ item_code: b.item_code, created_ts: b.created_ts })),
        review: key,
        flavour: { item_code: flavour.item_code, created_ts: flavour.created_ts },
        sheet,
      };
    }

    function send(r: Round, c: Command) {
      const barcode = 'bag' in c ? r.bags[c.table as keyof Round['bags']][c.bag]! : '';
      switch (c.kind) {
        case 'ship':
          return h.call('POST', `/app/${c.table}/record/shipment`, {
            barcode,
            request_code: c.to.request,
            shipment_code: c.to.shipment,
            amount: c.amount,
          });
        case 'feed':
          return h.call('POST', `/app/${c.table}/record/blendsheet`, { barcode, ...r.batches[c.batch]!, amount: c.amount });
        case 'flavor':
          return h.call('POST', '/app/blendsheet/record/flavorsheet', { barcode, ...r.flavour, amount: c.amount });
        case 'parcel':
          return h.call('POST', `/app/${c.table}/record/parcel`, {
            barcode,
            request_code: c.to.request,
            shipment_code: c.to.shipment,
            schedule_code: c.schedule,
            reduced_by: c.amount,
          });
        case 'unship':
          return h.call(
            'DELETE',
            `/app/${c.table}/record/shipment?barcode=${barcode}&request_code=${c.to.request}&shipment_code=${c.to.shipment}`,
          );
        case 'reduce':
          return h.call('PUT', `/app/${c.table}/record`, { barcode, reduced_by: c.amount });
        case 'dispatch':
          return h.call('PUT', `/app/${c.table}/record`, { barcode });
        case 'decide':
          return h.call('PUT', '/app/trader/blendsheet/batch', { ...r.review, trader_status: c.status }, ['TRADER-OFFICER']);
        case 'batch':
          return h.call('POST', '/app/blendsheet/batch', { blendsheet_no: r.sheet });
      }
    }

    /** Each invariant as a query counting its violations over the whole database. */
    async function violations(): Promise<Record<string, number>> {
      const db = h.handle.database.db;
      const checks: Record<string, ReturnType<typeof sql<{ n: number }>>> = {};
      for (const material of MATERIALS) {
        if (consumptionTables(material).length === 0) continue;
        checks[`${material}: consumption ≤ net`] = sql`select count(*)::int as n from ${sql.table(recordTable(material))} r
          where ${sql.raw(`${material}_consumed`)}(r.barcode) > r.gross_weight - r.bag_weight`;
        for (const table of consumptionTables(material)) {
          checks[`${table}: nothing after dispatch`] =
            sql`select count(*)::int as n from ${sql.table(table)} a join ${sql.table(recordTable(material))} r using (barcode)
            where r.dispatched_at is not null and a.allocated_at >= r.dispatched_at`;
        }
      }
      for (const [material, target] of [
        ['tealine', 'blendsheet'],
        ['blendbalance', 'blendsheet'],
        ['blendsheet', 'flavorsheet'],
      ] as const) {
        checks[`${material}: ingredients only from ACCEPTED/IN_PROCESS`] =
          sql`select count(*)::int as n from ${sql.table(`${material}_allocate_${target}`)} a
          join ${sql.table(recordTable(material))} r using (barcode)
          where (r.processed_at is not null and a.allocated_at >= r.processed_at) or (r.dispatched_at is not null and a.allocated_at >= r.dispatched_at)`;
      }
      for (const material of SHIPPABLE) {
        checks[`${material}: parcels ≤ shipment allocation`] =
          sql`select count(*)::int as n from ${sql.table(`${material}_allocate_shipment`)} s
          where s.remaining < 0 or s.remaining > s.amount
             or s.remaining <> s.amount - coalesce((select sum(p.amount) from ${sql.table(`${material}_allocate_parcel`)} p
                  where p.barcode = s.barcode and p.request_code = s.request_code and p.shipment_code = s.shipment_code), 0)`;
        checks[`${material}: parcels need a shipment allocation`] =
          sql`select count(*)::int as n from ${sql.table(`${material}_allocate_parcel`)} p
          where not exists (select 1 from ${sql.table(`${material}_allocate_shipment`)} s
                             where s.barcode = p.barcode and s.request_code = p.request_code and s.shipment_code = p.shipment_code)`;
      }
      checks['blend output shipped only from TRADER_ALLOWED batches'] = sql`select count(*)::int as n from blendsheet_allocate_shipment a
        join blendsheet_record r using (barcode) join blendsheet_batch b on b.item_code = r.item_code and b.created_ts = r.created_ts
        where b.trader_status is distinct from 'TRADER_ALLOWED'`;
      checks['batches ≤ no_of_batches'] = sql`select count(*)::int as n from blendsheet s
        where (select count(*) from blendsheet_batch b where b.blendsheet_no = s.blendsheet_no) > s.no_of_batches`;
      const counts: Record<string, number> = {};
      for (const [name, query] of Object.entries(checks)) counts[name] = (await query.execute(db)).rows[0]!.n;
      return counts;
    }

    it('holds for random interleavings of shipments, blends, parcels, removals, dispatches and trader decisions', async () => {
      const seen = { ok: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 20, maxLength: 60 }), async (commands) => {
          const r = await setUp();
          const answers = await Promise.all(commands.map((c) => send(r, c)));
          for (const [i, answer] of answers.entries()) {
            const c = commands[i]!;
            const refusedAsExpected =
              (answer.status === 409 && EXPECTED_REFUSALS.has(answer.body?.code)) ||
              (answer.status === 404 && c.kind === 'unship' && answer.body?.code === 'ALLOCATION_NOT_FOUND');
            expect(answer.status === 200 || refusedAsExpected, `${JSON.stringify(c)} → ${answer.status} ${answer.text}`).toBe(true);
            if (answer.status === 200) seen.ok += 1;
            else seen.refused += 1;
          }
          const broken = Object.entries(await violations()).filter(([, n]) => n > 0);
          expect(broken).toEqual([]);
        }),
        { numRuns: target.label === 'pglite' ? 8 : 15 },
      );
      // The runs must have exercised both sides of the rules, or they proved little.
      expect(seen.ok).toBeGreaterThan(50);
      expect(seen.refused).toBeGreaterThan(20);
    });
  });
}
