import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { ALLOCATION_SUPPORT, MATERIALS } from '../../domain/materials.js';
import { Barcode, Code, EpochMs, Kg, OpenObject, Text } from '../../http/schemas.js';
import { commandOf, type FeatureDeps } from '../deps.js';
import {
  allocateToBatch,
  allocateToParcel,
  allocateToShipment,
  listParcelRecords,
  listShipmentRecords,
  removeBatchAllocation,
  removeShipmentAllocation,
} from './allocations.service.js';
import { ACCESS } from '../../access.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const Done = Type.Object({ barcode: Type.String() });
const QueryCode = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/**
 * Allocation endpoints for exactly the pairs the support matrix allows (§3.6, planned
 * flavorsheet ones included): shipment and parcel for tealine, blendsheet, flavorsheet;
 * blendsheet ingredients from tealine and blendbalance; flavorsheet ingredients from
 * blendsheet and herbline. A pair outside the matrix has no route (404).
 */
export function registerAllocationRoutes(app: HttpApp, deps: FeatureDeps): void {
  for (const material of MATERIALS) {
    const support = ALLOCATION_SUPPORT[material];
    if (support.shipment) {
      app.post(
        `/app/${material}/record/shipment`,
        {
          config: { access: ACCESS.peer },
          schema: {
            tags: ['allocation'],
            summary: `Allocate kg of a ${material} bag to a shipment (adds to an existing allocation)`,
            body: Type.Object({ barcode: Barcode, request_code: Code, shipment_code: Code, amount: Kg }),
            response: { 200: Done, ...errors },
          },
        },
        (request) => allocateToShipment(deps, commandOf(request, deps), material, request.body),
      );
      app.delete(
        `/app/${material}/record/shipment`,
        {
          config: { access: ACCESS.peer },
          schema: {
            tags: ['allocation'],
            summary: `Remove a ${material} bag's shipment allocation (no parcels, bag not dispatched)`,
            querystring: Type.Object({ barcode: Barcode, request_code: QueryCode, shipment_code: QueryCode }),
            response: { 200: Done, ...errors },
          },
        },
        (request) => removeShipmentAllocation(deps, commandOf(request, deps), material, request.query),
      );
      app.post(
        `/app/${material}/record/parcel`,
        {
          config: { access: ACCESS.peer },
          schema: {
            tags: ['allocation'],
            summary: `Parcel kg of a ${material} bag's shipment allocation to a production schedule`,
            body: Type.Object({ barcode: Barcode, request_code: Code, shipment_code: Code, schedule_code: Code, reduced_by: Kg }),
            response: { 200: Done, ...errors },
          },
        },
        (request) => allocateToParcel(deps, commandOf(request, deps), material, request.body),
      );
    }
    for (const target of support.ingredientOf) {
      app.post(
        `/app/${material}/record/${target}`,
        {
          config: { access: ACCESS.peer },
          schema: {
            tags: ['allocation'],
            summary: `Allocate kg of a ${material} bag as an ingredient of a ${target} batch`,
            body: Type.Object({ barcode: Barcode, item_code: Text(), created_ts: EpochMs, amount: Kg }),
            response: { 200: Done, ...errors },
          },
        },
        (request) => allocateToBatch(deps, commandOf(request, deps), material, target, request.body),
      );
      app.delete(
        `/app/${material}/record/${target}`,
        {
          config: { access: ACCESS.peer },
          schema: {
            tags: ['allocation'],
            summary: `Remove a ${material} bag's allocation to a ${target} batch (batch not completed)`,
            querystring: Type.Object({ barcode: Barcode, item_code: Text(), created_ts: Type.String({ pattern: '^[0-9]{1,16}$' }) }),
            response: { 200: Done, ...errors },
          },
        },
        (request) => removeBatchAllocation(deps, commandOf(request, deps), material, target, request.query),
      );
    }
  }

  app.get(
    '/app/shipment/record',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['allocation'],
        summary: 'Bags allocated to a shipment, with the allocation remaining and the scan details',
        querystring: Type.Object({ request_code: QueryCode, shipment_code: QueryCode }),
        response: { 200: Type.Array(OpenObject()), ...errors },
      },
    },
    (request) => listShipmentRecords(deps, request.query.request_code, request.query.shipment_code),
  );
  app.get(
    '/app/parcel/record',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['allocation'],
        summary: 'Parcels of a production schedule',
        querystring: Type.Object({ schedule_code: QueryCode }),
        response: {
          200: Type.Array(
            Type.Object({
              barcode: Type.String(),
              request_code: Type.Number(),
              shipment_code: Type.Integer(),
              schedule_code: Type.Number(),
              amount: Type.String(),
              tbl: Type.String(),
            }),
          ),
          ...errors,
        },
      },
    },
    (request) => listParcelRecords(deps, request.query.schedule_code),
  );
}
