import type { FastifyRequest } from 'fastify';
import { processingApi, type CallOptions, type ProcessingApi, type ProcessingRow, type TraderStatus } from '@tributary/contracts';
import { AppError } from '@tributary/platform/core';
import { isUpstreamError, type ServiceClient } from '@tributary/platform/resilience';
import type { CentralDeps } from '../../deps.js';
import { OrdersError } from '../../errors.js';
import { kg, kgToPositiveGrams } from '../../units.js';
import type { ParcelBody, ShipmentRecordBody, TraderBody } from './central.schemas.js';

/**
 * The original's trader- and barcode-handler: these routes keep their AWS-Manager paths and
 * call processing (the Central-Handler) with this service's signature, on behalf of the user
 * (identity headers), carrying the trace. Bulk bodies become one call per element, in order;
 * processing owns those rules (trader workflow, bag availability, over-parcelling). A failing
 * element stops the batch and says how many went through (`details.index`, `details.applied`);
 * each element carries its own Idempotency-Key derived from the request's, so a retry of the
 * whole batch is not applied twice downstream.
 */
export interface Central {
  client: ServiceClient | undefined;
}

export function forward(request: FastifyRequest): CallOptions {
  const identity = request.identity;
  return {
    identity: { ...(identity?.user ? { user: identity.user } : {}), roles: identity?.roles ?? [] },
    requestId: request.id,
    traceparent: request.trace.traceparent,
  };
}

export function clientOf(central: Central): ServiceClient {
  if (!central.client) throw OrdersError.PROCESSING_NOT_CONFIGURED('The processing service is not configured (PROCESSING_URL)');
  return central.client;
}

function apiOf(central: Central): ProcessingApi {
  return processingApi(clientOf(central));
}

export function listTraderBatches(central: Central, request: FastifyRequest, status: TraderStatus | undefined): Promise<ProcessingRow[]> {
  return apiOf(central).listTraderBatches(status, forward(request));
}

export function listShipmentRecords(
  central: Central,
  request: FastifyRequest,
  shipment: { request_code: number; shipment_code: number },
): Promise<ProcessingRow[]> {
  return apiOf(central).listShipmentRecords(shipment, forward(request));
}

export function listParcelRecords(
  central: Central,
  request: FastifyRequest,
  schedule: { schedule_code: number },
): Promise<ProcessingRow[]> {
  return apiOf(central).listParcelRecords(schedule, forward(request));
}

async function eachElement<T, R>(
  central: Central,
  request: FastifyRequest,
  items: readonly T[],
  call: (api: ProcessingApi, item: T, options: CallOptions) => Promise<R>,
): Promise<R[]> {
  const api = apiOf(central);
  const header = request.headers['idempotency-key'];
  const base = typeof header === 'string' ? header : request.id;
  const results: R[] = [];
  for (const [index, item] of items.entries()) {
    try {
      results.push(await call(api, item, { ...forward(request), idempotencyKey: `${base}:${index}` }));
    } catch (error) {
      throw withProgress(error, index);
    }
  }
  return results;
}

function withProgress(error: unknown, index: number): unknown {
  if (!(error instanceof AppError)) return error;
  const details = { ...(error.details ?? {}), index, applied: index, ...(isUpstreamError(error) ? { upstream: error.upstream } : {}) };
  return new AppError(error.category, error.code, error.message, {
    details,
    cause: error,
    ...(error.headers ? { headers: error.headers } : {}),
  });
}

export interface TraderOutcome {
  /** 200 when every batch took its status; 207 when some were refused (each says why). */
  status: 200 | 207;
  results: Record<string, unknown>[];
}

/**
 * Trader decisions on different batches are independent, so unlike the bag calls a refusal
 * does not stop the rest: every element gets its own result, a refused one
 * `{ item_code, created_ts, error: { status, code, message } }`. Only when processing cannot
 * be reached at all does the whole call fail (503/504), since no element was decided.
 */
export async function setTraderStatus(central: Central, request: FastifyRequest, body: TraderBody): Promise<TraderOutcome> {
  const api = apiOf(central);
  const header = request.headers['idempotency-key'];
  const base = typeof header === 'string' ? header : request.id;
  const results: Record<string, unknown>[] = [];
  let refused = 0;
  for (const [index, item] of body.entries()) {
    const batch = { item_code: item.item_code, created_ts: Number(item.created_ts) };
    try {
      results.push(
        await api.setTraderStatus(
          { ...batch, trader_status: item.trader_status },
          { ...forward(request), idempotencyKey: `${base}:${index}` },
        ),
      );
    } catch (error) {
      if (
        !(error instanceof AppError) ||
        error.category === 'unavailable' ||
        error.category === 'timeout' ||
        error.category === 'internal'
      ) {
        throw withProgress(error, index);
      }
      refused += 1;
      results.push({ ...batch, error: { status: error.status, code: error.code, message: error.message } });
    }
  }
  return { status: refused === 0 ? 200 : 207, results };
}

/** The shipment must exist here: processing cannot check it (it is this service's data). */
export async function allocateToShipments(
  deps: Pick<CentralDeps, 'db'>,
  central: Central,
  request: FastifyRequest,
  body: ShipmentRecordBody,
) {
  for (const [index, item] of body.entries()) {
    kgToPositiveGrams(item.amount, `[${index}].amount`);
    const shipment = await deps.db
      .selectFrom('order_shipment')
      .select('status')
      .where('request_code', '=', String(item.request_code))
      .where('shipment_code', '=', Number(item.shipment_code))
      .executeTakeFirst();
    if (!shipment)
      throw OrdersError.SHIPMENT_NOT_FOUND(`No shipment ${item.shipment_code} of request ${item.request_code}`, { details: { index } });
  }
  return eachElement(central, request, body, (api, item, options) =>
    api.allocateToShipment(
      item.table_name,
      {
        barcode: item.barcode,
        request_code: Number(item.request_code),
        shipment_code: Number(item.shipment_code),
        amount: kg(kgToPositiveGrams(item.amount, 'amount')),
      },
      options,
    ),
  );
}

/** Parcels fill a schedule: it must exist here and still be open. */
export async function allocateToParcels(deps: Pick<CentralDeps, 'db'>, central: Central, request: FastifyRequest, body: ParcelBody) {
  for (const [index, item] of body.entries()) {
    kgToPositiveGrams(item.reduced_by, `[${index}].reduced_by`);
    const schedule = await deps.db
      .selectFrom('order_schedule')
      .select('completed')
      .where('schedule_code', '=', String(item.schedule_code))
      .executeTakeFirst();
    if (!schedule) throw OrdersError.SCHEDULE_NOT_FOUND(`No schedule ${item.schedule_code}`, { details: { index } });
    if (schedule.completed) throw OrdersError.SCHEDULE_COMPLETED(`Schedule ${item.schedule_code} is completed`, { details: { index } });
  }
  return eachElement(central, request, body, (api, item, options) =>
    api.allocateToParcel(
      item.table_name,
      {
        barcode: item.barcode,
        request_code: Number(item.request_code),
        shipment_code: Number(item.shipment_code),
        schedule_code: Number(item.schedule_code),
        reduced_by: kg(kgToPositiveGrams(item.reduced_by, 'reduced_by')),
      },
      options,
    ),
  );
}
