import { describe, expect, it } from 'vitest';
import { reconcileMtp, type MtpAllocationSide, type MtpDifference, type MtpShipmentSide } from './mtp-reconcile.js';

async function* stream<T>(rows: T[]): AsyncGenerator<T> {
  yield* rows;
}

async function run(shipments: MtpShipmentSide[], allocations: MtpAllocationSide[]) {
  const found: MtpDifference[] = [];
  const it = reconcileMtp(stream(shipments), stream(allocations));
  for (;;) {
    const step = await it.next();
    if (step.done) return { found, summary: step.value };
    found.push(step.value);
  }
}

const S = (request_code: string, shipment_code: number, quantity_kg: string, status: string): MtpShipmentSide => ({
  request_code,
  shipment_code,
  quantity_kg,
  status,
});
const A = (
  request_code: string,
  shipment_code: number,
  allocated_kg: string,
  bags: number,
  dispatched_bags: number,
): MtpAllocationSide => ({ request_code, shipment_code, allocated_kg, bags, dispatched_bags });

describe('reconcileMtp', () => {
  it('reports each kind with both sides, merging numerically ordered keys', async () => {
    const { found, summary } = await run(
      [
        S('2', 1, '50', 'SHIPMENT_DISPATCHED'),
        S('9', 1, '10', 'ORDER_READY'),
        S('10', 1, '5', 'SHIPMENT_ACCEPTED'),
        S('10', 2, '7', 'ORDER_REQUESTED'),
      ],
      [A('2', 1, '20', 1, 1), A('9', 1, '10', 1, 1), A('10', 1, '5', 2, 2), A('11', 3, '4.5', 1, 0)],
    );
    expect(found).toEqual([
      {
        kind: 'quantity_mismatch',
        request_code: '2',
        shipment_code: 1,
        reason: expect.any(String),
        orders: { quantity_kg: '50', status: 'SHIPMENT_DISPATCHED' },
        processing: { allocated_kg: '20', bags: 1, dispatched_bags: 1 },
      },
      {
        kind: 'status_mismatch',
        request_code: '9',
        shipment_code: 1,
        reason: expect.any(String),
        orders: { quantity_kg: '10', status: 'ORDER_READY' },
        processing: { allocated_kg: '10', bags: 1, dispatched_bags: 1 },
      },
      {
        kind: 'orphaned_allocation',
        request_code: '11',
        shipment_code: 3,
        reason: expect.any(String),
        orders: null,
        processing: { allocated_kg: '4.5', bags: 1, dispatched_bags: 0 },
      },
    ]);
    expect(summary).toEqual({
      shipments: 4,
      allocationGroups: 4,
      differences: 3,
      byKind: { quantity_mismatch: 1, status_mismatch: 1, orphaned_allocation: 1 },
    });
  });

  it('compares grams exactly and flags over-allocation of an open shipment and undispatched bags of a dispatched one', async () => {
    const { found } = await run(
      [S('1', 1, '10.001', 'SHIPMENT_DISPATCHED'), S('1', 2, '3', 'ORDER_READY'), S('1', 3, '8', 'SHIPMENT_DISPATCHED')],
      [A('1', 1, '10', 1, 1), A('1', 2, '3.01', 1, 0), A('1', 3, '8', 2, 1)],
    );
    expect(found.map((d) => `${d.kind}@${d.shipment_code}`)).toEqual(['quantity_mismatch@1', 'quantity_mismatch@2', 'status_mismatch@3']);
  });

  it('refuses a side that is out of order', async () => {
    await expect(run([S('2', 1, '1', 'ORDER_READY'), S('1', 1, '1', 'ORDER_READY')], [])).rejects.toThrow(/out of order/);
  });

  it('holds one row per side: 200,000 shipments stream through without being collected', async () => {
    async function* many(): AsyncGenerator<MtpShipmentSide> {
      for (let i = 1; i <= 200_000; i++) yield S(String(i), 1, '1', 'ORDER_READY');
    }
    async function* allocations(): AsyncGenerator<MtpAllocationSide> {
      for (let i = 1; i <= 200_000; i++) yield A(String(i), 1, '1', 1, 0);
    }
    const it = reconcileMtp(many(), allocations());
    let step = await it.next();
    while (!step.done) step = await it.next();
    expect(step.value).toMatchObject({ shipments: 200_000, allocationGroups: 200_000, differences: 0 });
  });
});
