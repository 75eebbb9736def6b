import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { expectRefused, MISSING_BARCODE, startHarness, type Harness } from './support.js';
import { TRACE_ROLES } from '../src/features/genealogy/genealogy.routes.js';
import { flowBuilder, harnessCall, shape, trace, type Batch, type Lot } from './genealogy.support.js';

/**
 * Two lots blended into one batch (40 kg of A, 20 kg of B), its two output bags shipped in two
 * shipments, one of them parcelled into a schedule, and a bag of A shipped straight. The orders
 * service is not configured here: the graph is processing's own (see the MTP flow test for the
 * orders details).
 */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: traceability graph and recall report`, () => {
    let h: Harness;
    let a: Lot;
    let b: Lot;
    let batch: Batch;
    const bag = (barcode: string, table = 'tealine') => `${table}:${barcode}`;

    beforeAll(async () => {
      h = await startHarness(target);
      const flow = flowBuilder(harnessCall(h));
      await flow.location();
      a = await flow.lot('LOT-A', { invoice_no: 'INV-1', garden: 'Garden One', broker: 'Broker One' }, [50, 50, 50]);
      b = await flow.lot('LOT-B', { invoice_no: 'INV-2', garden: 'Garden Two', broker: 'Broker Two' }, [40]);
      batch = await flow.blend(
        'BS-TRACE',
        [
          { barcode: a.bags[0]!, amount: 40 },
          { barcode: b.bags[0]!, amount: 20 },
        ],
        [30, 30],
      );
      await flow.ship('blendsheet', batch.outputs[0]!, 1, 1, 30);
      await flow.ship('blendsheet', batch.outputs[1]!, 2, 1, 20);
      await flow.ship('tealine', a.bags[2]!, 2, 1, 10);
      await flow.parcel('blendsheet', batch.outputs[0]!, 1, 1, 7, 25);
    });
    afterAll(() => h.close());

    const traced = (code: string, roles?: string[]) => h.call('GET', `/app/trace/${encodeURIComponent(code)}`, undefined, roles);
    const parcelId = () => `parcel:blendsheet:${batch.outputs[0]}/1/1/7`;

    it('traces an output bag up to both lots, their gardens, brokers and invoices, and down to its shipment and schedule', async () => {
      const answer = await trace(harnessCall(h), bag(batch.outputs[0]!, 'blendsheet'));
      expect(answer.status).toBe(200);
      expect(answer.body.roots).toEqual([bag(batch.outputs[0]!, 'blendsheet')]);
      expect(answer.body.sources).toEqual({ orders: 'not_configured' });
      expect(shape(answer.body)).toEqual({
        nodes: [
          a.id,
          b.id,
          batch.id,
          'broker:Broker One',
          'broker:Broker Two',
          'garden:Garden One',
          'garden:Garden Two',
          'invoice:INV-1',
          'invoice:INV-2',
          parcelId(),
          'schedule:7',
          'shipment:1/1',
          bag(batch.outputs[0]!, 'blendsheet'),
          bag(a.bags[0]!),
          bag(b.bags[0]!),
        ].sort(),
        edges: [
          `${batch.id} -produced(30.00)-> ${bag(batch.outputs[0]!, 'blendsheet')}`,
          `${bag(a.bags[0]!)} -ingredient_of(40.00)-> ${batch.id}`,
          `${bag(b.bags[0]!)} -ingredient_of(20.00)-> ${batch.id}`,
          `${a.id} -bagged(50.00)-> ${bag(a.bags[0]!)}`,
          `${b.id} -bagged(40.00)-> ${bag(b.bags[0]!)}`,
          `garden:Garden One -grew-> ${a.id}`,
          `garden:Garden Two -grew-> ${b.id}`,
          `broker:Broker One -brokered-> ${a.id}`,
          `broker:Broker Two -brokered-> ${b.id}`,
          `invoice:INV-1 -invoiced-> ${a.id}`,
          `invoice:INV-2 -invoiced-> ${b.id}`,
          `${bag(batch.outputs[0]!, 'blendsheet')} -shipped_in(30.00)-> shipment:1/1`,
          `${bag(batch.outputs[0]!, 'blendsheet')} -parcelled(25.00)-> ${parcelId()}`,
          `${parcelId()} -filled_into(25.00)-> schedule:7`,
        ].sort(),
      });
      const lot = answer.body.nodes.find((n: any) => n.id === a.id);
      expect(lot).toEqual({
        id: a.id,
        kind: 'lot',
        label: 'tealine lot LOT-A',
        attributes: {
          material: 'tealine',
          item_code: 'LOT-A',
          created_ts: a.created_ts,
          invoice_no: 'INV-1',
          garden: 'Garden One',
          broker: 'Broker One',
          grade: null,
          name: null,
        },
        at: new Date(a.created_ts).toISOString(),
      });
      const output = answer.body.nodes.find((n: any) => n.kind === 'bag' && n.attributes.material === 'blendsheet');
      expect(output.attributes).toMatchObject({
        bag_no: 1,
        net_kg: '30.00',
        allocated_kg: '30.00',
        remaining_kg: '0.00',
        status: 'PROCESSED',
      });
      expect(output.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('traces a lot by its number down to every bag, the batch, both shipments and the schedule, and up to its origin only', async () => {
      const answer = await trace(harnessCall(h), 'LOT-A');
      expect(answer.status).toBe(200);
      expect(answer.body.roots).toEqual([a.id]);
      expect(shape(answer.body).nodes).toEqual(
        [
          a.id,
          ...a.bags.map((x) => bag(x)),
          batch.id,
          ...batch.outputs.map((x) => bag(x, 'blendsheet')),
          'shipment:1/1',
          'shipment:2/1',
          parcelId(),
          'schedule:7',
          'garden:Garden One',
          'broker:Broker One',
          'invoice:INV-1',
        ].sort(),
      );
      // Every kg that left the lot is on an edge: bagged = Σ nets, and the batch's output edges.
      const kgOf = (relation: string, from: string) =>
        answer.body.edges
          .filter((e: any) => e.relation === relation && e.from === from)
          .map((e: any) => e.quantityKg)
          .sort();
      expect(kgOf('bagged', a.id)).toEqual(['50.00', '50.00', '50.00']);
      expect(kgOf('produced', batch.id)).toEqual(['30.00', '30.00']);
      expect(kgOf('shipped_in', bag(a.bags[2]!))).toEqual(['10.00']);
      // The same graph by the lot's node id; by invoice number, the same minus the lot's other origins.
      const byInvoice = await trace(harnessCall(h), 'INV-1');
      expect(byInvoice.body.roots).toEqual(['invoice:INV-1']);
      expect(shape(byInvoice.body).edges).toEqual(
        shape(answer.body).edges.filter((e) => !e.startsWith('garden:') && !e.startsWith('broker:')),
      );
      expect(shape((await trace(harnessCall(h), a.id)).body)).toEqual(shape(answer.body));
    });

    it('traces from a shipment, a schedule and a batch number back up to both lots', async () => {
      for (const code of ['shipment:2/1', 'schedule:7', batch.item_code]) {
        const answer = await trace(harnessCall(h), code);
        expect({ code, status: answer.status }).toEqual({ code, status: 200 });
        const ids = shape(answer.body).nodes;
        expect({ code, a: ids.includes(a.id), b: ids.includes(b.id) }).toEqual({ code, a: true, b: true });
      }
    });

    it('reports the recall of a lot with kg attributable through the blend, as JSON and CSV', async () => {
      const json = await h.call('GET', `/app/trace/LOT-A/recall`);
      expect(json.status).toBe(200);
      expect(json.body.roots).toEqual([a.id]);
      expect(json.body.totals).toEqual({
        shipped_kg: '60.00',
        attributable_shipped_kg: '43.33',
        parcelled_kg: '25.00',
        attributable_parcelled_kg: '16.67',
      });
      const none = { order_code: null, product_name: null, status: null, vehicle: null, dispatched_at: null, accepted_at: null };
      expect(json.body.shipments).toEqual([
        { request_code: '1', shipment_code: 1, ...none, bags: 1, allocated_kg: '30.00', attributable_kg: '20.00' },
        { request_code: '2', shipment_code: 1, ...none, bags: 2, allocated_kg: '30.00', attributable_kg: '23.33' },
      ]);
      expect(json.body.schedules).toEqual([
        {
          schedule_code: '7',
          schedule_date: null,
          order_code: null,
          shift: null,
          section: null,
          parcelled_kg: '25.00',
          attributable_kg: '16.67',
        },
      ]);
      expect(json.body.parcels).toEqual([
        {
          material: 'blendsheet',
          barcode: batch.outputs[0],
          request_code: '1',
          shipment_code: 1,
          schedule_code: '7',
          amount_kg: '25.00',
          attributable_kg: '16.67',
        },
      ]);
      expect(json.body.rule).toMatch(/proportionally/);

      const other = (await h.call('GET', `/app/trace/LOT-B/recall`)).body;
      expect(other.shipments.map((s: any) => [s.request_code, s.bags, s.attributable_kg])).toEqual([
        ['1', 1, '10.00'],
        ['2', 1, '6.67'],
      ]);

      const csv = await h.call('GET', `/app/trace/LOT-A/recall`, undefined, undefined, { accept: 'text/csv' });
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="recall-LOT-A.csv"');
      expect(csv.text.split('\r\n')).toEqual([
        'request_code,shipment_code,order_code,product_name,shipment_status,vehicle,dispatched_at,accepted_at,shipment_bags,shipment_allocated_kg,shipment_attributable_kg,schedule_code,schedule_date,shift,section,parcelled_kg,parcel_attributable_kg,dispatched_local,accepted_local,local_time_zone',
        '1,1,,,,,,,1,30.00,20.00,7,,,,25.00,16.67,,,Asia/Colombo',
        '2,1,,,,,,,2,30.00,23.33,,,,,,,,,Asia/Colombo',
        '',
      ]);
      expect((await h.call('GET', `/app/trace/LOT-A/recall?format=csv`)).text).toBe(csv.text);
    });

    it('refuses unknown codes (404), malformed codes (400) and callers without a trace role (403), changing nothing', async () => {
      for (const code of [bag(MISSING_BARCODE), 'NO-SUCH-LOT', 'shipment:99/1', 'schedule:99', `lot:tealine:LOT-A@1`]) {
        await expectRefused(h, 404, 'TRACE_CODE_NOT_FOUND', () => traced(code));
      }
      for (const code of ['tealine:not-a-uuid', 'shipment:1', 'lot:tealine:LOT-A', ' LOT-A', 'LOT\u0007A']) {
        await expectRefused(h, 400, 'TRACE_CODE_INVALID', () => traced(code));
      }
      await expectRefused(h, 400, 'RECALL_SOURCE_INVALID', () => h.call('GET', `/app/trace/${encodeURIComponent('shipment:1/1')}/recall`));
      await expectRefused(h, 403, 'TRACE_ROLE_FORBIDDEN', () => traced('LOT-A', ['TRADER-OFFICER']));
      await expectRefused(h, 403, 'TRACE_ROLE_FORBIDDEN', () =>
        h.call('GET', '/app/trace/LOT-A/recall', undefined, ['GRANDPASS-DEV-MACHINE']),
      );
      expect((await trace(harnessCall(h), 'LOT-A', ['GRANDPASS-SUPERVISOR'])).status).toBe(200);
    });

    it('documents both operations with the roles they admit and their response schemas', async () => {
      const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const graph = doc.paths['/app/trace/{code}'].get;
      const recall = doc.paths['/app/trace/{code}/recall'].get;
      expect(graph.security).toEqual([{ sigv4: [...TRACE_ROLES] }]);
      expect(recall.security).toEqual([{ sigv4: [...TRACE_ROLES] }]);
      expect(Object.keys(graph.responses['200'].content)).toEqual(['application/json']);
      expect(graph.responses['200'].content['application/json'].schema.required).toEqual(['code', 'roots', 'nodes', 'edges', 'sources']);
      expect(Object.keys(recall.responses['200'].content).sort()).toEqual(['application/json', 'text/csv']);
      expect(Object.keys(recall.responses['200'].content['application/json'].schema.properties)).toEqual([
        'code',
        'roots',
        'rule',
        'sources',
        'totals',
        'shipments',
        'schedules',
        'parcels',
      ]);
    });
  });
}
