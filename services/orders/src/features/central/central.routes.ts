import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import type { CentralDeps } from '../../deps.js';
import {
  BarcodesOut,
  ParcelBody,
  ParcelQuery,
  Passthrough,
  ShipmentRecordBody,
  ShipmentRecordQuery,
  TraderBody,
  TraderQuery,
} from './central.schemas.js';
import * as central from './central.service.js';

const errors = {
  400: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  503: errorResponseSchema,
};
const TRADER_DESCRIPTION =
  'Passed to processing PUT /app/trader/blendsheet/batch per element, on behalf of the caller (processing decides which status each trader group may set). Every element gets a result: 200 when all were applied, 207 when some were refused (those carry `error: {status, code, message}`).';

export function registerCentralRoutes(app: HttpApp, deps: CentralDeps): void {
  const proxy: central.Central = { client: deps.processing };
  app.get(
    '/trader',
    routeOptions(guard(deps.config, 'listTrader'), 'processing', 'Blend batches for trader review (from processing)', {
      querystring: TraderQuery,
      response: { 200: Passthrough, ...errors },
    }),
    async (request) => central.listTraderBatches(proxy, request, request.query.trader_status),
  );
  for (const method of ['PUT', 'POST'] as const) {
    // POST is the role document's name for raising a trader request; the API document has PUT. Both work.
    app.route({
      method,
      url: '/trader',
      config: { access: guard(deps.config, 'setTrader') },
      schema: {
        tags: ['processing'],
        summary: 'Set trader statuses of blend batches',
        description: TRADER_DESCRIPTION,
        body: TraderBody,
        response: { 200: Passthrough, 207: Passthrough, ...errors },
      },
      handler: async (request, reply) => {
        const outcome = await central.setTraderStatus(proxy, request, request.body);
        return reply.code(outcome.status).send(outcome.results);
      },
    });
  }
  app.get(
    '/order/record/shipment',
    routeOptions(guard(deps.config, 'listShipmentRecords'), 'processing', 'Bags allocated to a shipment (from processing)', {
      querystring: ShipmentRecordQuery,
      response: { 200: Passthrough, ...errors },
    }),
    async (request) => central.listShipmentRecords(proxy, request, request.query),
  );
  app.put(
    '/order/record/shipment',
    routeOptions(guard(deps.config, 'allocateShipmentRecords'), 'processing', 'Allocate bags to shipments (in processing)', {
      body: ShipmentRecordBody,
      response: { 200: BarcodesOut, ...errors },
    }),
    async (request) => central.allocateToShipments(deps, proxy, request, request.body),
  );
  app.get(
    '/order/record/parcel',
    routeOptions(guard(deps.config, 'listParcels'), 'processing', 'Parcels of a production schedule (from processing)', {
      querystring: ParcelQuery,
      response: { 200: Passthrough, ...errors },
    }),
    async (request) => central.listParcelRecords(proxy, request, request.query),
  );
  app.post(
    '/order/record/parcel',
    routeOptions(guard(deps.config, 'allocateParcels'), 'processing', 'Parcel bags of shipments into a schedule (in processing)', {
      body: ParcelBody,
      response: { 200: BarcodesOut, ...errors },
    }),
    async (request) => central.allocateToParcels(deps, proxy, request, request.body),
  );
}
