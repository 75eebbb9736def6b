import { Type } from '@sinclair/typebox';
import type { OrdersApi } from '@tributary/contracts';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
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
const shipmentErrors = { ...errors, 503: errorResponseSchema };
const Done = Type.Object({ barcode: Type.String() });
const QueryCode = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const done = { 200: Done, ...errors };
const ShipmentBody = Type.Object({ barcode: Barcode, request_code: Code, shipment_code: Code, amount: Kg });
const ShipmentQuery = Type.Object({ barcode: Barcode, request_code: QueryCode, shipment_code: QueryCode });
const ParcelBody = Type.Object({ barcode: Barcode, request_code: Code, shipment_code: Code, schedule_code: Code, reduced_by: Kg });
const BatchBody = Type.Object({ barcode: Barcode, item_code: Text(), created_ts: EpochMs, amount: Kg });
const BatchQuery = Type.Object({ barcode: Barcode, item_code: Text(), created_ts: Type.String({ pattern: '^[0-9]{1,16}$' }) });
const Parcel = Type.Object({
  barcode: Type.String(),
  request_code: Type.Number(),
  shipment_code: Type.Integer(),
  schedule_code: Type.Number(),
  amount: Type.String(),
  tbl: Type.String(),
});

/**
 * Allocation endpoints for exactly the pairs the support matrix allows (§3.6, planned
 * flavorsheet ones included): shipment and parcel for tealine, blendsheet, flavorsheet;
 * blendsheet ingredients from tealine and blendbalance; flavorsheet ingredients from
 * blendsheet and herbline. A pair outside the matrix has no route (404).
 */
export function registerAllocationRoutes(app: HttpApp, deps: FeatureDeps, orders: OrdersApi | undefined): void {
  for (const material of MATERIALS) {
    const support = ALLOCATION_SUPPORT[material];
    if (support.shipment) {
      const path = `/app/${material}/record/shipment`;
      app.post(
        path,
        routeOptions(ACCESS.peer, 'allocation', `Allocate kg of a ${material} bag to a shipment (adds to an existing allocation)`, {
          body: ShipmentBody,
          response: { 200: Done, ...shipmentErrors },
        }),
        (request) => allocateToShipment({ ...deps, orders }, commandOf(request, deps), material, request.body),
      );
      const removal = `Remove a ${material} bag's shipment allocation (no parcels, bag not dispatched)`;
      app.delete(path, routeOptions(ACCESS.peer, 'allocation', removal, { querystring: ShipmentQuery, response: done }), (request) =>
        removeShipmentAllocation(deps, commandOf(request, deps), material, request.query),
      );
      const parcel = `Parcel kg of a ${material} bag's shipment allocation to a production schedule`;
      app.post(
        `/app/${material}/record/parcel`,
        routeOptions(ACCESS.peer, 'allocation', parcel, { body: ParcelBody, response: done }),
        (request) => allocateToParcel(deps, commandOf(request, deps), material, request.body),
      );
    }
    for (const target of support.ingredientOf) {
      const path = `/app/${material}/record/${target}`;
      const allocation = `Allocate kg of a ${material} bag as an ingredient of a ${target} batch`;
      app.post(path, routeOptions(ACCESS.peer, 'allocation', allocation, { body: BatchBody, response: done }), (request) =>
        allocateToBatch(deps, commandOf(request, deps), material, target, request.body),
      );
      const removal = `Remove a ${material} bag's allocation to a ${target} batch (batch not completed)`;
      app.delete(path, routeOptions(ACCESS.peer, 'allocation', removal, { querystring: BatchQuery, response: done }), (request) =>
        removeBatchAllocation(deps, commandOf(request, deps), material, target, request.query),
      );
    }
  }

  app.get(
    '/app/shipment/record',
    routeOptions(ACCESS.peer, 'allocation', 'Bags allocated to a shipment, with the allocation remaining and the scan details', {
      querystring: Type.Object({ request_code: QueryCode, shipment_code: QueryCode }),
      response: { 200: Type.Array(OpenObject()), ...errors },
    }),
    (request) => listShipmentRecords(deps, request.query.request_code, request.query.shipment_code),
  );
  app.get(
    '/app/parcel/record',
    routeOptions(ACCESS.peer, 'allocation', 'Parcels of a production schedule', {
      querystring: Type.Object({ schedule_code: QueryCode }),
      response: { 200: Type.Array(Parcel), ...errors },
    }),
    (request) => listParcelRecords(deps, request.query.schedule_code),
  );
}
