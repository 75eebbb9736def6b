import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { startHarness, type Harness } from './support.js';
import { flowBuilder, harnessCall, trace, type Lot } from './genealogy.support.js';

const ORIGIN_KINDS = new Set(['garden', 'broker', 'invoice']);

/**
 * A random flow: lots of bags, blends fed from some of them, shipments of raw and blended bags,
 * parcels of some shipments. Sizes keep every bag within its net weight (20 kg ≥ 2 blends × 5 kg
 * + 5 shipments × 2 kg), so each generated flow is one the service accepts.
 */
const flowArbitrary = fc.record({
  lots: fc.array(fc.array(fc.integer({ min: 20, max: 50 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  blends: fc.array(
    fc.record({
      inputs: fc.uniqueArray(fc.nat(20), { minLength: 1, maxLength: 3 }),
      amounts: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 3 }),
      outputs: fc.integer({ min: 1, max: 2 }),
    }),
    { maxLength: 2 },
  ),
  shipments: fc.array(
    fc.record({
      bag: fc.nat(30),
      shipment: fc.integer({ min: 1, max: 3 }),
      kg: fc.integer({ min: 1, max: 2 }),
      parcel: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    }),
    {
      maxLength: 5,
    },
  ),
});

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: traceability properties`, () => {
    let h: Harness;
    let run = 0;
    beforeAll(async () => {
      h = await startHarness(target);
      await flowBuilder(harnessCall(h)).location();
    });
    afterAll(() => h.close());

    it('every node reached down from a lot reaches the lot back going up, and every edge joins two nodes of the graph', async () => {
      await fc.assert(
        fc.asyncProperty(flowArbitrary, async (plan) => {
          run += 1;
          const flow = flowBuilder(harnessCall(h));
          const lots: Lot[] = [];
          for (const [i, nets] of plan.lots.entries())
            lots.push(await flow.lot(`P${run}-L${i}`, { invoice_no: `P${run}-INV${i}`, garden: `G${i % 2}`, broker: `B${run}` }, nets));
          const raw = lots.flatMap((lot) => lot.bags.map((barcode) => ({ table: 'tealine', barcode })));
          const shippable = [...raw];
          for (const [i, blend] of plan.blends.entries()) {
            const inputs = blend.inputs.map((pick, k) => ({ barcode: raw[pick % raw.length]!.barcode, amount: blend.amounts[k]! }));
            const unique = inputs.filter((input, k) => inputs.findIndex((other) => other.barcode === input.barcode) === k);
            const batch = await flow.blend(
              `P${run}-BS${i}`,
              unique,
              Array.from({ length: blend.outputs }, () => 20),
            );
            shippable.push(...batch.outputs.map((barcode) => ({ table: 'blendsheet', barcode })));
          }
          for (const ship of plan.shipments) {
            const bag = shippable[ship.bag % shippable.length]!;
            await flow.ship(bag.table, bag.barcode, run, ship.shipment, ship.kg);
            if (ship.parcel !== undefined) await flow.parcel(bag.table, bag.barcode, run, ship.shipment, run * 10 + ship.parcel, 1);
          }

          for (const lot of lots) {
            const down = await trace(harnessCall(h), lot.id);
            expect(down.status).toBe(200);
            const ids = new Set<string>(down.body.nodes.map((n: { id: string }) => n.id));
            for (const edge of down.body.edges) expect([ids.has(edge.from), ids.has(edge.to)]).toEqual([true, true]);
            for (const node of down.body.nodes) {
              if (ORIGIN_KINDS.has(node.kind) || node.id === lot.id) continue;
              const back = await trace(harnessCall(h), node.id);
              expect({ from: node.id, reachesLot: back.body.nodes.some((n: { id: string }) => n.id === lot.id) }).toEqual({
                from: node.id,
                reachesLot: true,
              });
            }
          }
        }),
        { numRuns: 5 },
      );
    });
  });
}
