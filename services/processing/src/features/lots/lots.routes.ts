import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { ItemKeyQuery, Kg, OpenObject, OptionalText, Text } from '../../http/schemas.js';
import { commandOf, type FeatureDeps } from '../deps.js';
import type { LotKind } from './lots.repository.js';
import { createLot, readLots } from './lots.service.js';
import { ACCESS } from '../../access.js';

const Created = Type.Object({ item_code: Type.String(), created_ts: Type.Number() });
const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const ListOrDetail = Type.Union([Type.Array(OpenObject()), OpenObject()]);
const DEVICE_LISTING_SUMMARIES: Record<LotKind, string> = {
  tealine: 'Tealine lots still expecting bags (list), or one lot',
  herbline: 'Herbline lots (list), or one lot',
  blendbalance: 'Blendbalance lots whose recorded weight is below the expected weight (list), or one lot',
};

/** Admin creation of tealine/herbline/blendbalance lots, and their admin and device listings. */
export function registerLotRoutes(app: HttpApp, deps: FeatureDeps): void {
  app.post(
    '/app/admin/tealine',
    routeOptions(ACCESS.peer, 'admin', 'Create a tealine lot (item + tealine)', {
      body: Type.Object({
        item_code: Text({ maxLength: 100 }),
        invoice_no: OptionalText(),
        grade: OptionalText(),
        no_of_bags: Type.Integer({ minimum: 1, maximum: 100_000 }),
        weight_per_bag: Kg,
        broker: OptionalText(),
        garden: OptionalText(),
        purchase_order: OptionalText(),
      }),
      response: { 200: Created, ...errors },
    }),
    (request) => createLot(deps, commandOf(request, deps), { kind: 'tealine', values: request.body }),
  );

  app.post(
    '/app/admin/herbline',
    routeOptions(ACCESS.peer, 'admin', 'Create a herbline lot', {
      body: Type.Object({
        item_code: Text({ maxLength: 100 }),
        item_name: Text(),
        purchase_order: OptionalText(),
        weight: Type.Optional(Type.Union([Kg, Type.Null()])),
      }),
      response: { 200: Created, ...errors },
    }),
    (request) => createLot(deps, commandOf(request, deps), { kind: 'herbline', values: request.body }),
  );

  app.post(
    '/app/admin/blendbalance',
    routeOptions(ACCESS.peer, 'admin', 'Create a blendbalance lot (expected total weight)', {
      body: Type.Object({ item_code: Text({ maxLength: 100 }), blend_code: Text(), transfer_id: Text(), weight: Kg }),
      response: { 200: Created, ...errors },
    }),
    (request) => createLot(deps, commandOf(request, deps), { kind: 'blendbalance', values: request.body }),
  );

  const kinds: LotKind[] = ['tealine', 'herbline', 'blendbalance'];
  for (const kind of kinds) {
    const listings = [
      {
        path: `/app/admin/${kind}`,
        tag: 'admin',
        summary: `${kind} lots (list), or one lot with its bags (item_code + created_ts)`,
        incompleteOnly: false,
      },
      { path: `/app/${kind}`, tag: 'device', summary: DEVICE_LISTING_SUMMARIES[kind], incompleteOnly: kind !== 'herbline' },
    ];
    for (const { path, tag, summary, incompleteOnly } of listings) {
      app.get(
        path,
        routeOptions(ACCESS.peer, tag, summary, { querystring: ItemKeyQuery, response: { 200: ListOrDetail, ...errors } }),
        (request) => readLots(deps, kind, request.query, incompleteOnly),
      );
    }
  }
}
