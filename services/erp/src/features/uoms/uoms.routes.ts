import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { erpRouteOptions } from '../../access.js';
import { actorOf, type ErpDeps } from '../../shared/context.js';
import { NameParams, Nullable, PositiveDecimal } from '../../shared/schemas.js';
import { listUoms, setUoms } from './uoms.service.js';

const Uom = Type.String({ minLength: 1, maxLength: 140 });
const UomsBody = Type.Object(
  {
    uoms: Type.Array(
      Type.Object(
        { uom: Uom, conversion_factor: PositiveDecimal({ description: 'stock units in one of this UoM (ERPNext conversion_factor)' }) },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
const UomsOut = Type.Object({
  item: Type.String(),
  stock_uom: Nullable(Type.String()),
  uoms: Type.Array(Type.Object({ uom: Type.String(), conversion_factor: Type.String() })),
});

/** An item's UoM conversions (ERPNext's item `uoms` table), which order lines in other units are converted with. */
export function registerUomRoutes(app: HttpApp, deps: ErpDeps): void {
  const access = erpRouteOptions(deps.config, ['items']);
  app.get(
    '/items/:name/uoms',
    access('read', "An item's UoM conversions", { params: NameParams, response: { 200: UomsOut, 404: errorResponseSchema } }),
    async (request) => listUoms(deps, request.params.name),
  );
  app.put(
    '/items/:name/uoms',
    access('writeMasters', "Replace an item's UoM conversions", {
      params: NameParams,
      body: UomsBody,
      response: { 200: UomsOut, 400: errorResponseSchema, 404: errorResponseSchema },
    }),
    async (request) => setUoms(deps, request.params.name, request.body.uoms, actorOf(request, deps)),
  );
}
