import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { gramsToKg } from '@tributary/platform/core';
import { testDatabases } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';
import type { ShipmentStatus } from '../src/domain.js';
import { AUTOMATIC_FOLLOWER, canMove, POSTABLE_STATUSES, SPLITTABLE_STATUSES } from '../src/features/shipments/workflow.js';
import { planAndRequest, useOrders, type OrdersHarness } from './support.js';

/** The expected behaviour, written as plainly as possible, to hold the service against. */
interface ModelShipment {
  quantity: bigint;
  allocated: bigint;
  history: ShipmentStatus[];
}
type Model = Map<number, ModelShipment[]>;

type Command =
  | { kind: 'split'; request: number; shipment: number; grams: bigint }
  | { kind: 'event'; request: number; shipment: number; status: ShipmentStatus }
  | { kind: 'allocate'; request: number; shipment: number; grams: bigint };

const POSTER: Record<string, { group?: string; service?: string }> = {
  APPROVAL_ALLOWED: { group: 'GRANDPASS-SUPERVISOR' },
  APPROVAL_BLOCKED: { group: 'GRANDPASS-SUPERVISOR' },
  ORDER_READY: { group: 'SEEDUWA-OFFICER' },
  ORDER_NOT_READY: { group: 'SEEDUWA-OFFICER' },
  TRADER_BLOCKED: { service: 'processing' },
  SHIPMENT_DISPATCHED: { service: 'processing' },
  SHIPMENT_ACCEPTED: { group: 'GRANDPASS-GATEPASS' },
};
const TEXT = { shipment_vehicle: 'V-1', order_remarks: 'remark', shipment_remarks: 'remark' };

function expectFromModel(model: Model, command: Command): number {
  const shipments = model.get(command.request)!;
  const shipment = shipments[command.shipment - 1];
  if (!shipment) return 404;
  const current = shipment.history.at(-1)!;
  switch (command.kind) {
    case 'split': {
      if (command.grams === shipment.quantity) return 200;
      if (command.grams > shipment.quantity) return 409;
      if (!SPLITTABLE_STATUSES.has(current)) return 409;
      if (command.grams < shipment.allocated) return 409;
      shipments.push({ quantity: shipment.quantity - command.grams, allocated: 0n, history: [...shipment.history] });
      shipment.quantity = command.grams;
      return 200;
    }
    case 'event': {
      if (!canMove(current, command.status)) return shipment.history.includes(command.status) ? 200 : 409;
      shipment.history.push(command.status);
      const follower = AUTOMATIC_FOLLOWER[command.status];
      if (follower) shipment.history.push(follower);
      return 200;
    }
    case 'allocate':
      shipment.allocated += command.grams;
      return 200;
  }
}

/** Requests are named by index (0: a special request, 1: a standard one) so failures shrink. */
const commandArb = fc.oneof(
  fc.record({
    kind: fc.constant('split' as const),
    request: fc.constantFrom(0, 1),
    shipment: fc.integer({ min: 1, max: 4 }),
    grams: fc.bigInt({ min: 1n, max: 120_000n }),
  }),
  fc.record({
    kind: fc.constant('event' as const),
    request: fc.constantFrom(0, 1),
    shipment: fc.integer({ min: 1, max: 4 }),
    status: fc.constantFrom(...[...POSTABLE_STATUSES]),
  }),
  fc.record({
    kind: fc.constant('allocate' as const),
    request: fc.constantFrom(0, 1),
    shipment: fc.integer({ min: 1, max: 3 }),
    grams: fc.bigInt({ min: 1n, max: 30_000n }),
  }),
);

async function run(h: OrdersHarness, command: Command): Promise<number> {
  const target = { request_code: command.request, shipment_code: command.shipment };
  if (command.kind === 'split')
    return (await h.as('SEEDUWA-OFFICER', 'PUT', '/order/shipment', [{ ...target, quantity: gramsToKg(command.grams) }])).statusCode;
  if (command.kind === 'allocate') {
    const response = await h.asService('sync', 'POST', '/internal/events', {
      id: randomUUID(),
      source: 'processing',
      aggregateType: 'shipment',
      aggregateId: `${command.request}/${command.shipment}`,
      type: 'allocation.changed',
      payload: {
        requestCode: String(command.request),
        shipmentCode: command.shipment,
        barcode: randomUUID(),
        table: 'blendsheet',
        allocatedKgDelta: gramsToKg(command.grams),
      },
      createdAt: 0,
    });
    return response.statusCode;
  }
  const poster = POSTER[command.status]!;
  const body = [{ ...target, status: command.status, ...TEXT }];
  const response = poster.group
    ? await h.as(poster.group, 'POST', '/order/shipment/event', body)
    : await h.asService(poster.service!, 'POST', '/order/shipment/event', body);
  return response.statusCode;
}

for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: workflow and split follow the model`, () => {
    const h = useOrders(target);

    it('answers and ends up as the model says, for random sequences of splits, events and allocations', async () => {
      await fc.assert(
        fc.asyncProperty(fc.context(), fc.array(commandArb, { minLength: 5, maxLength: 25 }), async (ctx, named) => {
          const seed = randomUUID().slice(0, 8);
          const requests = [
            await planAndRequest(h, { orderCode: `MODEL-${seed}-a`, requestKg: '100', status: 'APPROVAL_REQUESTED' }),
            await planAndRequest(h, { orderCode: `MODEL-${seed}-b`, requestKg: '100' }),
          ];
          const model: Model = new Map(
            requests.map((rc, i) => [
              rc,
              [{ quantity: 100_000n, allocated: 0n, history: [i === 0 ? 'APPROVAL_REQUESTED' : 'ORDER_REQUESTED'] }],
            ]),
          );
          const commands: Command[] = named.map((command) => ({ ...command, request: requests[command.request]! }));
          for (const command of commands) {
            const actual = await run(h, command);
            const expected = expectFromModel(model, command);
            ctx.log(`${JSON.stringify(command, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))} → ${actual}`);
            expect(actual).toBe(expected);
          }
          for (const rc of requests) {
            const [order] = (await h.as('SEEDUWA-OFFICER', 'GET', `/order?request_code=${rc}`)).json();
            const expected = model.get(rc)!.map((s, i) => ({
              shipment_code: i + 1,
              quantity: gramsToKg(s.quantity),
              allocated: gramsToKg(s.allocated),
              status: s.history.at(-1),
              events: s.history,
            }));
            const actual = order.shipments.map(
              (s: { shipment_code: number; quantity: string; allocated: string; status: string; events: { status: string }[] }) => ({
                ...s,
                events: s.events.map((e) => e.status),
              }),
            );
            expect(actual).toEqual(expected);
            expect(model.get(rc)!.reduce((sum, s) => sum + s.quantity, 0n)).toBe(100_000n);
          }
        }),
        { numRuns: 15 },
      );
    });
  });
}
