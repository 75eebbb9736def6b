import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { MATERIALS } from '../../domain/materials.js';
import { ProcessingError } from '../../errors.js';
import { Barcode, EpochMs, Kg, MaterialName, OpenObject, Text } from '../../http/schemas.js';
import { commandOf, type FeatureDeps } from '../deps.js';
import { createRecord, moveRecord, scan, updateRecord } from './records.service.js';
import { ACCESS } from '../../access.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const Weighed = Type.Object({
  item_code: Type.String(),
  created_ts: Type.Number(),
  id: Type.Integer(),
  received_ts: Type.Number(),
  barcode: Type.String(),
});
const Scanned = OpenObject({
  barcode: Type.String(),
  status: Type.String(),
  remaining: Type.String(),
  net_weight: Type.String(),
  allocated: Type.String(),
});

/** Weighing a bag in (POST), reducing or dispatching it (PUT), and scanning it. */
export function registerRecordRoutes(app: HttpApp, deps: FeatureDeps): void {
  for (const material of MATERIALS) {
    const herbline = material === 'herbline';
    const weighIn = `Weigh in a ${material} bag (${herbline ? 'herbline-section location, reference required' : 'non-herbline location'})`;
    app.post(
      `/app/${material}/record`,
      routeOptions(ACCESS.peer, 'device', weighIn, {
        body: Type.Object({
          item_code: Text(),
          created_ts: EpochMs,
          store_location: Text({ maxLength: 100 }),
          gross_weight: Kg,
          bag_weight: Kg,
          ...(herbline ? { reference: Text() } : {}),
        }),
        response: { 200: Weighed, ...errors },
      }),
      (request) => createRecord(deps, commandOf(request, deps), material, request.body as never),
    );
    app.put(
      `/app/${material}/record`,
      routeOptions(
        ACCESS.peer,
        'device',
        herbline ? 'Dispatch a herbline bag' : `Reduce a ${material} bag's remaining (reduced_by) or dispatch it (no reduced_by)`,
        {
          body: Type.Object({ barcode: Barcode, reduced_by: Type.Optional(Kg) }),
          response: { 200: Type.Object({ barcode: Type.String(), status: Type.String() }), ...errors },
        },
      ),
      async (request) => {
        if (herbline && request.body.reduced_by !== undefined) {
          // Herbline bags are only ever dispatched whole (reference §4.1).
          throw ProcessingError.REDUCE_NOT_SUPPORTED('herbline bags cannot be reduced, only dispatched');
        }
        return updateRecord(deps, commandOf(request, deps), material, request.body);
      },
    );
  }

  for (const material of MATERIALS) {
    app.put(
      `/app/${material}/record/location`,
      routeOptions(ACCESS.peer, 'device', `Move a ${material} bag to another store location (segregation rule applies)`, {
        body: Type.Object({ barcode: Barcode, new_store_location: Text({ maxLength: 100 }) }),
        response: { 200: OpenObject({ barcode: Type.String(), store_location: Type.String() }), ...errors },
      }),
      (request) => moveRecord(deps, commandOf(request, deps), material, request.body),
    );
  }

  app.get(
    '/app/scan',
    routeOptions(
      ACCESS.peer,
      'device',
      'scan_record: a bag with its lot/batch, availability (net − Σ non-parcel allocations) and derived status',
      {
        querystring: Type.Object({ table_name: MaterialName, barcode: Barcode }),
        response: { 200: Scanned, ...errors },
      },
    ),
    (request) => scan(deps, request.query.table_name, request.query.barcode),
  );
}
