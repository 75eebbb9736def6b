import {
  ORDERS_AGGREGATES,
  ORDERS_EVENT_TYPES,
  type ShipmentEventAddedPayload,
  type ShipmentQuantityChangedPayload,
} from '@tributary/contracts';
import { metadataOf } from '@tributary/platform/command';
import { withTransactionRetries } from '@tributary/platform/db';
import { writeEvents, writeEventsWith, type OutboxEventInput } from '@tributary/platform/outbox';
import { hasAny, STATUS_ACCESS } from '../../access.js';
import { runCommand, type Command, type ShipmentDeps, type OrdersTrx } from '../../deps.js';
import type { ShipmentStatus } from '../../domain.js';
import { OrdersError } from '../../errors.js';
import { groupBy } from '../../group.js';
import { kg, kgToPositiveGrams } from '../../units.js';
import * as repo from './shipments.repository.js';
import type { EventBody, EventResultOut, ShipmentChangeBody, ShipmentChangeOut } from './shipments.schemas.js';
import { shipmentViews, eventOut } from './views.js';
import { AUTOMATIC_FOLLOWER, canMove, POSTABLE_STATUSES, PREVIOUS_STATUSES, REQUIRED_FIELD, SPLITTABLE_STATUSES } from './workflow.js';

const blankToNull = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

function shipmentNotFound(index: number, requestCode: string, shipmentCode: number) {
  return OrdersError.SHIPMENT_NOT_FOUND(`No shipment ${shipmentCode} of request ${requestCode}`, {
    details: { index, request_code: requestCode, shipment_code: shipmentCode },
  });
}

/**
 * Adds status events. Every element is checked before anything is written (status postable,
 * caller's group, required text); then all elements apply in one transaction, in order, under
 * the requests' row locks, so the transition check and the insert cannot interleave with
 * another writer. Re-posting an already recorded status with the same text is answered with
 * the stored event and changes nothing (at-least-once callers retry); different text is a 409.
 */
export async function postEvents(deps: ShipmentDeps, command: Command, body: EventBody): Promise<EventResultOut> {
  const items = body.map((item, index) => {
    const status = item.status as ShipmentStatus;
    const fields = {
      shipment_vehicle: blankToNull(item.shipment_vehicle),
      order_remarks: blankToNull(item.order_remarks),
      shipment_remarks: blankToNull(item.shipment_remarks),
    };
    if (!POSTABLE_STATUSES.has(status)) {
      throw OrdersError.SHIPMENT_STATUS_NOT_POSTABLE(`${status} is set by POST /order, not posted as an event`, {
        details: { index, status },
      });
    }
    const allowed = STATUS_ACCESS[status] ?? [];
    if (!hasAny(command.caller, allowed)) {
      throw OrdersError.SHIPMENT_STATUS_FORBIDDEN(`Posting ${status} needs one of: ${allowed.join(', ')}`, {
        details: { index, status, allowed },
      });
    }
    const required = REQUIRED_FIELD[status];
    if (required && fields[required] === null) {
      throw OrdersError.SHIPMENT_EVENT_FIELD_REQUIRED(`${status} needs ${required}`, { details: { index, status, field: required } });
    }
    return { index, requestCode: String(item.request_code), shipmentCode: Number(item.shipment_code), status, fields };
  });

  // The common case, one event with no automatic follower, is one statement when the move is
  // allowed; a refusal or a replay of a recorded event goes the transactional way below.
  if (items.length === 1 && !AUTOMATIC_FOLLOWER[items[0]!.status]) {
    const item = items[0]!;
    const event = await recordAtOnce(deps, command, item);
    if (event) {
      deps.metrics.eventsRecorded([{ status: item.status, automatic: false }]);
      return groupResults([{ requestCode: item.requestCode, shipmentCode: item.shipmentCode, events: [event] }]);
    }
  }

  let recorded: { status: string; automatic: boolean }[] = [];
  const result = await runCommand(deps, command, async (trx) => {
    recorded = [];
    const shipments = await repo.lockShipments(
      trx,
      items.map((item) => [item.requestCode, item.shipmentCode] as const),
    );
    const results: { requestCode: string; shipmentCode: number; events: repo.EventRow[] }[] = [];
    const outbox: OutboxEventInput[] = [];
    for (const item of items) {
      const shipment = shipments.get(repo.shipmentKey(item.requestCode, item.shipmentCode));
      if (!shipment) throw shipmentNotFound(item.index, item.requestCode, item.shipmentCode);
      if (!canMove(shipment.status, item.status)) {
        // The workflow has no cycles, so a status already recorded is never a legal next step:
        // the event log is only read on this (rare) path.
        const recorded = await repo.findEvent(trx, item.requestCode, item.shipmentCode, item.status);
        if (recorded && sameText(recorded, item.fields)) {
          results.push({ requestCode: item.requestCode, shipmentCode: item.shipmentCode, events: [recorded] });
          continue;
        }
        if (recorded) {
          throw OrdersError.SHIPMENT_STATUS_ALREADY_RECORDED(
            `Shipment ${item.requestCode}/${item.shipmentCode} already has ${item.status}`,
            {
              details: { index: item.index, status: item.status, current: shipment.status },
            },
          );
        }
        throw OrdersError.SHIPMENT_TRANSITION_INVALID(`A shipment in ${shipment.status} cannot move to ${item.status}`, {
          details: { index: item.index, from: shipment.status, to: item.status },
        });
      }
      const added = [await record(trx, command, item, shipment.status, false, outbox)];
      recorded.push({ status: item.status, automatic: false });
      shipment.status = item.status;
      const follower = AUTOMATIC_FOLLOWER[item.status];
      if (follower) {
        added.push(
          await record(
            trx,
            command,
            { ...item, status: follower, fields: { shipment_vehicle: null, order_remarks: null, shipment_remarks: null } },
            item.status,
            true,
            outbox,
          ),
        );
        recorded.push({ status: follower, automatic: true });
        shipment.status = follower;
      }
      results.push({ requestCode: item.requestCode, shipmentCode: item.shipmentCode, events: added });
    }
    await writeEvents(trx, outbox, { now: () => command.now });
    return groupResults(results);
  });
  deps.metrics.eventsRecorded(recorded);
  return result;
}

interface EventItem {
  requestCode: string;
  shipmentCode: number;
  status: ShipmentStatus;
  fields: Pick<repo.EventRow, 'shipment_vehicle' | 'order_remarks' | 'shipment_remarks'>;
}

/** `shipment.event_added` but for the status moved from, which only the locked row knows. */
function eventAdded(
  command: Pick<Command, 'now'> & { caller: Pick<Command['caller'], 'actor'> },
  item: EventItem,
  automatic: boolean,
): Omit<ShipmentEventAddedPayload, 'previousStatus'> {
  return {
    requestCode: item.requestCode,
    shipmentCode: item.shipmentCode,
    status: item.status,
    eventTs: command.now,
    shipmentVehicle: item.fields.shipment_vehicle,
    orderRemarks: item.fields.order_remarks,
    shipmentRemarks: item.fields.shipment_remarks,
    automatic,
    actor: command.caller.actor,
  };
}

/**
 * One event in one autocommitted statement (`recordEventAtOnce`), its outbox row stamped with the
 * command's metadata as `runCommand` would; undefined when the shipment could not make the move.
 */
async function recordAtOnce(deps: ShipmentDeps, command: Command, item: EventItem): Promise<repo.EventRow | undefined> {
  const from = PREVIOUS_STATUSES[item.status] ?? [];
  if (from.length === 0) return undefined;
  const outbox = {
    aggregateType: ORDERS_AGGREGATES.request,
    aggregateId: item.requestCode,
    type: ORDERS_EVENT_TYPES.shipmentEventAdded,
    payload: eventAdded(command, item, false),
  };
  const row = eventRow(command, item);
  const event = await withTransactionRetries(() =>
    writeEventsWith(deps.db, [outbox], { now: () => command.now, metadata: metadataOf(command) }, ([written]) =>
      repo.recordEventAtOnce(deps.db, row, from, written!),
    ),
  );
  if (!event) return undefined;
  deps.onEventsCommitted();
  const { previous_status: _previous, ...stored } = event;
  return stored;
}

function eventRow(command: Pick<Command, 'now'> & { caller: Pick<Command['caller'], 'actor'> }, item: EventItem): repo.NewEventRow {
  return {
    request_code: item.requestCode,
    shipment_code: item.shipmentCode,
    status: item.status,
    event_ts: command.now,
    ...item.fields,
    actor: command.caller.actor,
  };
}

/** Records one status event and queues its `shipment.event_added` (the trader feed records blocks with it too). */
export async function record(
  trx: OrdersTrx,
  command: Pick<Command, 'now'> & { caller: Pick<Command['caller'], 'actor'> },
  item: EventItem,
  previousStatus: string,
  automatic: boolean,
  outbox: OutboxEventInput[],
): Promise<repo.EventRow> {
  const event = await repo.insertEvent(trx, eventRow(command, item));
  outbox.push({
    aggregateType: ORDERS_AGGREGATES.request,
    aggregateId: item.requestCode,
    type: ORDERS_EVENT_TYPES.shipmentEventAdded,
    payload: { ...eventAdded(command, item, automatic), previousStatus } satisfies ShipmentEventAddedPayload,
  });
  return event;
}

function sameText(
  recorded: repo.EventRow,
  fields: Pick<repo.EventRow, 'shipment_vehicle' | 'order_remarks' | 'shipment_remarks'>,
): boolean {
  return (
    recorded.shipment_vehicle === fields.shipment_vehicle &&
    recorded.order_remarks === fields.order_remarks &&
    recorded.shipment_remarks === fields.shipment_remarks
  );
}

function groupResults(results: readonly { requestCode: string; shipmentCode: number; events: repo.EventRow[] }[]): EventResultOut {
  return [...groupBy(results, (result) => result.requestCode)].map(([requestCode, mine]) => ({
    request_code: Number(requestCode),
    shipments: [...groupBy(mine, (result) => result.shipmentCode)].map(([shipmentCode, entries]) => ({
      shipment_code: shipmentCode,
      events: entries.flatMap((entry) => entry.events.map(eventOut)),
    })),
  }));
}

/**
 * Sets a shipment's quantity to what ships now and splits the remainder into a new shipment
 * (next number of the request, same status and history). Quantities never grow and never drop
 * below what processing has already allocated, so Σ shipment quantities of a request stays
 * equal to its requirement.
 */
export async function changeQuantities(deps: ShipmentDeps, command: Command, body: ShipmentChangeBody): Promise<ShipmentChangeOut> {
  const items = body.map((item, index) => ({
    index,
    requestCode: String(item.request_code),
    shipmentCode: Number(item.shipment_code),
    grams: kgToPositiveGrams(item.quantity, `[${index}].quantity`),
  }));
  let splits = 0;
  const changed = await runCommand(deps, command, async (trx) => {
    splits = 0;
    // Request locks serialise the numbering of new shipments; shipment locks (same order as
    // event writers take them) keep a concurrent event from slipping in between check and split.
    await repo.lockRequests(
      trx,
      items.map((item) => item.requestCode),
    );
    const locked = await repo.lockShipments(
      trx,
      items.map((item) => [item.requestCode, item.shipmentCode] as const),
    );
    const touched: (readonly [string, number])[] = [];
    const outbox: OutboxEventInput[] = [];
    for (const item of items) {
      const key = repo.shipmentKey(item.requestCode, item.shipmentCode);
      // A shipment split off earlier in this batch is not in the map yet; this transaction made it.
      const shipment = locked.get(key) ?? (await repo.findShipment(trx, item.requestCode, item.shipmentCode));
      if (!shipment) throw shipmentNotFound(item.index, item.requestCode, item.shipmentCode);
      locked.set(key, shipment);
      touched.push([item.requestCode, item.shipmentCode]);
      const current = BigInt(shipment.quantity);
      if (item.grams === current) continue;
      const details = {
        index: item.index,
        request_code: item.requestCode,
        shipment_code: item.shipmentCode,
        quantity: kg(current),
        requested: kg(item.grams),
      };
      if (item.grams > current) {
        throw OrdersError.SHIPMENT_QUANTITY_INCREASE(
          `A shipment's quantity can only shrink (the rest is split off); ${kg(current)} kg now`,
          { details },
        );
      }
      if (!SPLITTABLE_STATUSES.has(shipment.status)) {
        throw OrdersError.SHIPMENT_NOT_SPLITTABLE(`A shipment in ${shipment.status} can no longer change quantity`, {
          details: { ...details, status: shipment.status },
        });
      }
      if (item.grams < BigInt(shipment.allocated)) {
        throw OrdersError.SHIPMENT_QUANTITY_BELOW_ALLOCATED(`${kg(shipment.allocated)} kg are already allocated to this shipment`, {
          details: { ...details, allocated: kg(shipment.allocated) },
        });
      }
      const splitCode = await repo.nextShipmentCode(trx, item.requestCode);
      const remainder = current - item.grams;
      await repo.setQuantity(trx, item.requestCode, item.shipmentCode, item.grams, command.now);
      shipment.quantity = item.grams.toString();
      await repo.insertShipment(trx, {
        request_code: item.requestCode,
        shipment_code: splitCode,
        quantity: remainder,
        status: shipment.status,
        now: command.now,
      });
      await repo.copyEvents(trx, item.requestCode, item.shipmentCode, splitCode);
      touched.push([item.requestCode, splitCode]);
      splits += 1;
      outbox.push({
        aggregateType: ORDERS_AGGREGATES.request,
        aggregateId: item.requestCode,
        type: ORDERS_EVENT_TYPES.shipmentQuantityChanged,
        payload: {
          requestCode: item.requestCode,
          shipmentCode: item.shipmentCode,
          previousQuantityKg: kg(current),
          quantityKg: kg(item.grams),
          splitInto: { shipmentCode: splitCode, quantityKg: kg(remainder), status: shipment.status },
        } satisfies ShipmentQuantityChangedPayload,
      });
    }
    await writeEvents(trx, outbox, { now: () => command.now });
    const unique = [...new Map(touched.map((key) => [`${key[0]}/${key[1]}`, key])).values()];
    const shipments = await repo.findShipments(trx, { keys: unique });
    const views = shipmentViews(
      shipments,
      await repo.eventsOfRequests(
        trx,
        unique.map(([rc]) => rc),
      ),
    );
    return [...groupBy(shipments, (s) => String(s.request_code))].map(([requestCode, mine]) => ({
      request_code: Number(requestCode),
      shipments: mine.map((s) => views.get(`${requestCode}/${s.shipment_code}`)!),
    }));
  });
  deps.metrics.shipmentsSplit(splits);
  return changed;
}
