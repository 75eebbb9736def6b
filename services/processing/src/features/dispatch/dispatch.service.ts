import { AppError, dec, isAppError } from '@tributary/platform/core';
import type { CallOptions, OrdersApi } from '@tributary/contracts';
import { inTransaction } from '@tributary/platform/db';
import { retry, runSaga, SagaError, type SagaStep } from '@tributary/platform/resilience';
import type { Material } from '../../domain/materials.js';
import { kg, parseKg } from '../../domain/values.js';
import type { CommandContext } from '@tributary/platform/command';
import { allocateToShipment, removeShipmentAllocation } from '../allocations/allocations.service.js';
import type { FeatureDeps } from '../deps.js';
import { findShipment } from '../orders-copy/copy.repository.js';
import { updateRecord } from '../records/records.service.js';
import { requireAllocatedBags } from './dispatch-guard.js';
import {
  finishDispatch,
  insertDispatch,
  lockDispatch,
  recordStep,
  restartDispatch,
  type DispatchRow,
  type StepOutcome,
} from './dispatch.repository.js';
import { DISPATCH_FAILED, ProcessingError } from '../../errors.js';

export interface DispatchBag {
  table_name: Material;
  barcode: string;
  amount: number | string;
}

export interface DispatchInput {
  request_code: number;
  shipment_code: number;
  shipment_vehicle: string;
  bags: DispatchBag[];
}

export interface DispatchResult {
  dispatch_key: string;
  request_code: number;
  shipment_code: number;
  shipment_vehicle: string;
  quantity: string;
  split: { shipment_code: number; quantity: string } | null;
  bags: { table_name: string; barcode: string; amount: string; status: string }[];
}

export interface DispatchCall {
  deps: FeatureDeps;
  orders: OrdersApi;
  actor: CommandContext;
  key: string;
  /** A `running` dispatch silent for longer than this is taken over by a retry (its process died). */
  leaseMs: number;
  /** Forwarded to orders with every call (the request id and trace come from the command context). */
  forward: CallOptions;
}

interface OrderShipmentView {
  quantity: string;
  status: string;
}

/**
 * Dispatch as a saga (ADR 0601). Steps, in order:
 *   split            (only for a short dispatch) PUT /order/shipment to the cart total; no undo —
 *                    the remainder is an ordinary ORDER_READY shipment, and a retry finds the
 *                    quantity already equal and skips the step
 *   allocate:<bag>   one local transaction per bag, its outcome recorded in the same transaction;
 *                    undone by removing that allocation (again with its outcome, atomically)
 *   dispatched-event POST SHIPMENT_DISPATCHED to orders — the pivot: once it succeeded the saga
 *                    only moves forward
 *   mark:<bag>       bag status DISPATCHED, retried forward (idempotent)
 * Bags are marked DISPATCHED only after the pivot, so no compensation ever has to move a bag's
 * status backwards (the database refuses backward statuses by rule). Each step's outcome is
 * persisted under the Idempotency-Key: a retry of a completed dispatch returns the stored
 * result; a retry of a failed one runs again and skips steps whose effect is still in place.
 */
export async function dispatchShipment(call: DispatchCall, input: DispatchInput): Promise<DispatchResult> {
  const { deps, key } = call;
  const bags = input.bags.map((bag, index) => ({ ...bag, kg: parseKg(bag.amount, `bags[${index}].amount`) }));
  const seen = new Set<string>();
  for (const [index, bag] of bags.entries()) {
    const id = `${bag.table_name}:${bag.barcode}`;
    if (seen.has(id)) throw ProcessingError.DISPATCH_BAG_DUPLICATE(`bag ${id} appears twice`, { details: { index } });
    seen.add(id);
  }
  const total = bags.reduce((sum, bag) => sum.plus(bag.kg), dec(0));
  const bagsText = JSON.stringify(bags.map((b) => ({ table_name: b.table_name, barcode: b.barcode, amount: kg(b.kg) })));

  const claim = await claimDispatch(call, input, bagsText);
  if (claim.state === 'completed') return claim.result as DispatchResult;
  const steps: StepOutcome[] = claim.steps;
  const isDone = (name: string) => {
    const last = [...steps].reverse().find((s) => s.step === name);
    return last?.state === 'done';
  };
  const note = async (step: string, state: StepOutcome['state'], error?: unknown) => {
    steps.push({ step, state, at: deps.clock.now(), ...(isAppError(error) ? { code: error.code } : {}) });
    await recordStep(deps.db, key, steps, deps.clock.now());
  };

  const shipment = await readShipment(call, input);
  if (!['ORDER_READY', 'SHIPMENT_DISPATCHED'].includes(shipment.status)) {
    await failDispatch(
      call,
      ProcessingError.SHIPMENT_NOT_DISPATCHABLE(
        `shipment ${input.request_code}/${input.shipment_code} is ${shipment.status}, not ORDER_READY`,
      ),
    );
  }
  const quantity = dec(shipment.quantity);
  if (total.greaterThan(quantity)) {
    await failDispatch(
      call,
      ProcessingError.DISPATCH_EXCEEDS_SHIPMENT(`the cart holds ${kg(total)} kg, the shipment ${shipment.quantity} kg`, {
        details: { cart: kg(total), quantity: shipment.quantity },
      }),
    );
  }

  let split: DispatchResult['split'] = null;
  const sagaSteps: SagaStep<null>[] = [];
  if (total.lessThan(quantity)) {
    sagaSteps.push({
      name: 'split',
      run: async () => {
        const answer = await call.orders.updateShipments(
          [{ request_code: input.request_code, shipment_code: input.shipment_code, quantity: total.toFixed(3) }],
          {
            ...call.forward,
            correlation: call.actor,
            idempotencyKey: `${key}:split`,
          },
        );
        const created = answer[0]?.shipments.filter((s) => s.shipment_code !== input.shipment_code).at(-1);
        split = created ? { shipment_code: created.shipment_code, quantity: String(created.quantity) } : null;
        await note('split', 'done');
      },
    });
  }
  for (const bag of bags) {
    const name = `allocate:${bag.table_name}:${bag.barcode}`;
    const allocation = { barcode: bag.barcode, request_code: input.request_code, shipment_code: input.shipment_code };
    sagaSteps.push({
      name,
      // The step's outcome commits in the allocation's own transaction: a crash between the
      // two would otherwise let a takeover allocate the bag a second time (or skip it).
      run: async () => {
        if (isDone(name)) return;
        const outcome: StepOutcome = { step: name, state: 'done', at: deps.clock.now() };
        await allocateToShipment(
          { ...deps, orders: call.orders },
          call.actor,
          bag.table_name,
          { ...allocation, amount: kg(bag.kg) },
          {
            alsoInTransaction: (trx) => recordStep(trx, key, [...steps, outcome], outcome.at),
          },
        );
        steps.push(outcome);
      },
      compensate: async () => {
        const outcome: StepOutcome = { step: name, state: 'compensated', at: deps.clock.now() };
        try {
          await removeShipmentAllocation(deps, call.actor, bag.table_name, allocation, {
            alsoInTransaction: (trx) => recordStep(trx, key, [...steps, outcome], outcome.at),
          });
          steps.push(outcome);
        } catch (error) {
          if (!(isAppError(error) && error.code === 'ALLOCATION_NOT_FOUND')) throw error;
          await note(name, 'compensated');
        }
      },
    });
  }
  sagaSteps.push({
    name: 'dispatched-event',
    run: async () => {
      // The same rule as every dispatch event: the allocations above must really be in place.
      await requireAllocatedBags(deps.db, [input]);
      await call.orders.addShipmentEvents(
        [
          {
            request_code: input.request_code,
            shipment_code: input.shipment_code,
            status: 'SHIPMENT_DISPATCHED',
            shipment_vehicle: input.shipment_vehicle,
          },
        ],
        { ...call.forward, correlation: call.actor, idempotencyKey: `${key}:dispatched` },
      );
      await note('dispatched-event', 'done');
    },
  });
  sagaSteps.push({
    name: 'mark-dispatched',
    run: async () => {
      for (const bag of bags) {
        // After the pivot: only forward. Marking is idempotent, so it is simply retried.
        await retry(() => updateRecord(deps, call.actor, bag.table_name, { barcode: bag.barcode }), {
          maxAttempts: 5,
          baseMs: 50,
          capMs: 1000,
        });
      }
      await note('mark-dispatched', 'done');
    },
  });

  try {
    await runSaga(sagaSteps, null, { compensationAttempts: 3, compensationBaseMs: 20, compensationCapMs: 200 });
  } catch (error) {
    if (error instanceof SagaError) {
      const cause = error.cause;
      await note(error.details.failedStep, 'failed', cause);
      const causeCode = isAppError(cause) ? cause.code : undefined;
      const upstream = isAppError(cause) && cause.details && 'upstream' in cause.details ? cause.details : undefined;
      await failDispatch(
        call,
        new AppError(error.category, DISPATCH_FAILED, error.message, {
          details: {
            ...error.details,
            cause: causeCode,
            ...(upstream ? { upstream } : {}),
            ...(isAppError(cause) && cause.details ? { causeDetails: cause.details } : {}),
          },
          cause: error,
        }),
      );
    }
    throw error;
  }

  const result: DispatchResult = {
    dispatch_key: key,
    request_code: input.request_code,
    shipment_code: input.shipment_code,
    shipment_vehicle: input.shipment_vehicle,
    quantity: total.toFixed(3).replace(/\.?0+$/, '') || '0',
    split,
    bags: bags.map((b) => ({ table_name: b.table_name, barcode: b.barcode, amount: kg(b.kg), status: 'DISPATCHED' })),
  };
  await finishDispatch(deps.db, key, 'completed', { result }, deps.clock.now());
  return result;
}

/** One dispatch per key at a time: a second caller while it runs gets 409, after it the stored outcome. */
async function claimDispatch(
  call: DispatchCall,
  input: DispatchInput,
  bagsText: string,
): Promise<DispatchRow | { state: 'new'; steps: StepOutcome[] }> {
  const { deps, key } = call;
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const existing = await lockDispatch(trx, key);
    if (!existing) {
      await insertDispatch(
        trx,
        {
          dispatch_key: key,
          request_code: String(input.request_code),
          shipment_code: input.shipment_code,
          shipment_vehicle: input.shipment_vehicle,
          bags: bagsText,
        },
        now,
      );
      return { state: 'new' as const, steps: [] };
    }
    if (
      existing.request_code !== String(input.request_code) ||
      existing.shipment_code !== input.shipment_code ||
      existing.bags !== bagsText ||
      existing.shipment_vehicle !== input.shipment_vehicle
    ) {
      throw ProcessingError.DISPATCH_KEY_REUSED('This Idempotency-Key was used for a different dispatch');
    }
    // A run that has not recorded anything for a lease period died with its process: take it over.
    // Its persisted step outcomes tell the new run what is still in effect.
    const abandoned = existing.state === 'running' && now - existing.updated_at > call.leaseMs;
    if (existing.state === 'running' && !abandoned) throw ProcessingError.DISPATCH_IN_PROGRESS('This dispatch is running; retry shortly');
    if (existing.state === 'failed' || abandoned) await restartDispatch(trx, key, now);
    return existing;
  });
}

async function failDispatch(call: DispatchCall, error: AppError): Promise<never> {
  await finishDispatch(
    call.deps.db,
    call.key,
    'failed',
    { error: { code: error.code, message: error.message, details: error.details ?? null } },
    call.deps.clock.now(),
  );
  throw error;
}

/** The live shipment from orders; while orders is unreachable, the local copy (ADR 0601). */
async function readShipment(call: DispatchCall, input: DispatchInput): Promise<OrderShipmentView> {
  try {
    const orders = await call.orders.listOrders({ request_code: input.request_code }, { ...call.forward, correlation: call.actor });
    const shipment = orders
      .find((o) => Number(o.request_code) === input.request_code)
      ?.shipments?.find((s) => s.shipment_code === input.shipment_code);
    if (!shipment)
      return failDispatch(call, ProcessingError.SHIPMENT_NOT_FOUND(`no shipment ${input.request_code}/${input.shipment_code} in orders`));
    return { quantity: String(shipment.quantity), status: shipment.status };
  } catch (error) {
    if (!(isAppError(error) && (error.category === 'unavailable' || error.category === 'timeout'))) {
      if (isAppError(error) && error.code === 'SHIPMENT_NOT_FOUND') throw error;
      return failDispatch(call, isAppError(error) ? error : ProcessingError.UPSTREAM_UNAVAILABLE(String(error)));
    }
    const copy = await findShipment(call.deps.db, String(input.request_code), input.shipment_code);
    if (!copy) return failDispatch(call, error);
    return { quantity: copy.quantity, status: copy.status };
  }
}
