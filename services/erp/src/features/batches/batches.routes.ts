import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MovementRecord } from '@tributary/contracts';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { erpRouteOptions, type RouteAccess } from '../../access.js';
import { actorOf, type Actor, type ErpDeps } from '../../shared/context.js';
import { DocName, NameParams, Paging, PositiveDecimal, page } from '../../shared/schemas.js';
import {
  AdjustBody,
  BatchListQuery,
  BatchOut,
  ConsumeBody,
  ConsumeOut,
  ExpiringOut,
  ExpiringQuery,
  MovementOut,
  OptimisationOut,
  OptimiseBody,
  PatchBody,
  PickBody,
  PickOut,
  QtyBody,
  ReceiveBody,
  ReverseBody,
  StatusBody,
  TransferBody,
} from './batches.schemas.js';
import {
  adjustBatch,
  getBatch,
  listBatches,
  listMovements,
  patchBatch,
  receiveBatch,
  receiveMore,
  reverseMovement,
  setBatchStatus,
} from './batches.service.js';
import { expiringBatches, scanExpiry } from './expiry.service.js';
import { checkLedger } from './ledger.js';
import { listOptimisation, optimise } from './optimisation.service.js';
import { consume, pick, transfer } from './stock.service.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
type RecordMovement<I> = (deps: ErpDeps, batch: string, input: I, actor: Actor) => Promise<Static<typeof MovementRecord>>;
const TransferOut = Type.Object({
  transfer: Type.String(),
  item: Type.String(),
  from_warehouse: Type.String(),
  to_warehouse: Type.String(),
  qty: Type.String(),
  moves: Type.Array(
    Type.Object({
      from_batch: Type.String(),
      to_batch: Type.String(),
      qty: Type.String(),
      out_movement: Type.String(),
      in_movement: Type.String(),
    }),
  ),
});

export function registerBatchRoutes(app: HttpApp, deps: ErpDeps): void {
  const access = erpRouteOptions(deps.config, ['batches']);
  app.post(
    '/batches',
    access('writeBusiness', 'Receive a new batch (master + RECEIPT movement)', {
      body: ReceiveBody,
      response: { 201: BatchOut, ...errors },
    }),
    async (request, reply) => reply.code(201).send(await receiveBatch(deps, request.body, actorOf(request, deps))),
  );
  app.get(
    '/batches',
    access('read', 'List batches (soonest expiry first)', { querystring: BatchListQuery, response: { 200: page(BatchOut) } }),
    async (request) => listBatches(deps, request.query),
  );
  app.get(
    '/batches/expiring',
    access('read', 'Expiry alert levels of batches with stock', {
      querystring: ExpiringQuery,
      response: { 200: Type.Object({ data: Type.Array(ExpiringOut) }) },
    }),
    async (request) => ({
      data: await expiringBatches(deps, request.query),
    }),
  );
  app.post(
    '/batches/expiry-scan',
    access('machineFlows', 'Scanner: emit erp.batch.expiring for changed alert levels, mark expired stock', {
      response: {
        200: Type.Object({
          scanned: Type.Integer(),
          marked_expired: Type.Integer(),
          alerted: Type.Array(Type.Object({ batch: Type.String(), alert_level: Type.String(), days_to_expiry: Type.Integer() })),
        }),
      },
    }),
    async (request) => scanExpiry(deps, actorOf(request, deps)),
  );
  app.get(
    '/batches/:name',
    access('read', 'Get a batch', { params: NameParams, response: { 200: BatchOut, ...errors } }),
    async (request) => getBatch(deps, request.params.name),
  );
  app.patch(
    '/batches/:name',
    access('writeBusiness', 'Update quality, storage and nutrition attributes', {
      params: NameParams,
      body: PatchBody,
      response: { 200: BatchOut, ...errors },
    }),
    async (request) => patchBatch(deps, request.params.name, request.body, actorOf(request, deps)),
  );
  app.post(
    '/batches/:name/status',
    access('writeBusiness', 'Quarantine, release, reject, recall or mark damaged', {
      params: NameParams,
      body: StatusBody,
      response: { 200: BatchOut, ...errors },
    }),
    async (request) => setBatchStatus(deps, request.params.name, request.body.status, request.body.reason, actorOf(request, deps)),
  );
  // Receipts and adjustments each record one movement on the named batch and answer it.
  const movementRoute = <B extends TSchema>(rule: RouteAccess, url: string, summary: string, body: B, record: RecordMovement<Static<B>>) =>
    app.post(
      url,
      access(rule, summary, { params: NameParams, body, response: { 201: MovementRecord, ...errors } }),
      async (request, reply) => reply.code(201).send(await record(deps, request.params.name, request.body, actorOf(request, deps))),
    );
  movementRoute('writeBusiness', '/batches/:name/receipts', 'Receive more of an existing batch', QtyBody, receiveMore);
  movementRoute('writeBusiness', '/batches/:name/adjustments', 'Stock adjustment (signed)', AdjustBody, adjustBatch);
  app.post(
    '/batches/:name/transfer',
    access('writeBusiness', 'Transfer part of this batch to another warehouse', {
      params: NameParams,
      body: TransferBody,
      response: { 201: TransferOut, ...errors },
    }),
    async (request, reply) => {
      const batch = await getBatch(deps, request.params.name);
      return reply.code(201).send(
        await transfer(
          deps,
          {
            item: batch.item,
            from_warehouse: batch.warehouse,
            to_warehouse: request.body.to_warehouse,
            qty: request.body.qty,
            batches: [batch.name],
            ...(request.body.reason ? { reason: request.body.reason } : {}),
          },
          actorOf(request, deps),
        ),
      );
    },
  );
  app.get(
    '/batches/:name/movements',
    access('read', 'The batch ledger in order', {
      params: NameParams,
      querystring: Type.Object({ ...Paging }),
      response: { 200: page(MovementOut), ...errors },
    }),
    async (request) => listMovements(deps, request.params.name, request.query.limit, request.query.offset),
  );
  app.get(
    '/batches/:name/ledger-check',
    access('read', 'Audit: cached balance equals the movement sum, chain unbroken', {
      params: NameParams,
      response: {
        200: Type.Object({
          batch: Type.String(),
          available_qty: Type.String(),
          ledger_sum: Type.String(),
          movements: Type.Integer(),
          opening: Type.Optional(
            Type.Object(
              { seq: Type.Integer(), balance: Type.String(), through: Type.String() },
              { description: 'where the chain starts once retention dropped older movements (ADR 0309)' },
            ),
          ),
          consistent: Type.Boolean(),
        }),
        ...errors,
      },
    }),
    async (request) => checkLedger(deps.db, request.params.name),
  );
  app.post(
    '/movements/:name/reverse',
    access('writeBusiness', 'Reverse a receipt, consumption or adjustment (once)', {
      params: NameParams,
      body: ReverseBody,
      response: { 201: MovementRecord, ...errors },
    }),
    async (request, reply) =>
      reply.code(201).send(await reverseMovement(deps, request.params.name, request.body.reason, actorOf(request, deps))),
  );

  const stockAccess = erpRouteOptions(deps.config, ['stock']);
  app.post(
    '/stock/pick',
    stockAccess('machineFlows', 'FEFO/FIFO pick plan per line: allocations and shortage (writes nothing)', {
      body: PickBody,
      response: { 200: PickOut, ...errors },
    }),
    async (request) => pick(deps, request.body),
  );
  app.post(
    '/stock/consume',
    stockAccess('machineFlows', 'Consume stock by the same picking order, atomically', {
      body: ConsumeBody,
      response: { 200: ConsumeOut, ...errors },
    }),
    async (request) => consume(deps, request.body, actorOf(request, deps)),
  );
  app.post(
    '/stock/transfer',
    stockAccess('writeBusiness', 'Transfer an item between warehouses by the picking order', {
      body: Type.Object(
        {
          item: DocName(),
          from_warehouse: DocName(),
          to_warehouse: DocName(),
          qty: PositiveDecimal(),
          strategy: Type.Optional(Type.Union([Type.Literal('FEFO'), Type.Literal('FIFO')])),
          reason: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      response: { 201: TransferOut, ...errors },
    }),
    async (request, reply) => reply.code(201).send(await transfer(deps, request.body, actorOf(request, deps))),
  );
  app.post(
    '/stock/optimisation',
    stockAccess('machineFlows', 'Recompute reorder level, reorder quantity and safety stock from movement history', {
      body: OptimiseBody,
      response: { 200: OptimisationOut, ...errors },
    }),
    async (request) => optimise(deps, request.body, actorOf(request, deps)),
  );
  app.get(
    '/stock/optimisation',
    stockAccess('read', 'Stored reorder parameters', {
      querystring: Type.Object({ ...Paging, item: Type.Optional(DocName()), warehouse: Type.Optional(DocName()) }),
      response: { 200: page(OptimisationOut) },
    }),
    async (request) => listOptimisation(deps, request.query),
  );
}
