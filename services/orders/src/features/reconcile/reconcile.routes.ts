import { Type } from '@sinclair/typebox';
import { MTP_RECONCILE_PATHS, MtpShipmentPage, mtpCursor, parseMtpCursor } from '@tributary/contracts';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import type { LookupDeps } from '../../deps.js';
import { kg } from '../../units.js';

/**
 * The orders side of the MTP reconciliation (ADR 0601): every shipment with its quantity (kg,
 * from stored grams) and current status, paged by (request_code, shipment_code) — the primary
 * key, so each page is an index range scan.
 */
export function registerReconcileRoutes(app: HttpApp, deps: LookupDeps): void {
  app.get(
    MTP_RECONCILE_PATHS.shipments,
    routeOptions(
      guard(deps.config, 'reconcile'),
      'internal',
      'Shipments (quantity kg, status) in (request_code, shipment_code) order, for reconciliation',
      {
        querystring: Type.Object({
          after: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}:[0-9]{1,10}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
        }),
        response: { 200: MtpShipmentPage, 400: errorResponseSchema, 403: errorResponseSchema },
      },
    ),
    async (request) => {
      const limit = request.query.limit ?? 1000;
      const after = parseMtpCursor(request.query.after) ?? { request_code: '0', shipment_code: 0 };
      const rows = await deps.db
        .selectFrom('order_shipment')
        .select(['request_code', 'shipment_code', 'quantity', 'status'])
        .where((eb) =>
          eb.or([
            eb('request_code', '>', after.request_code),
            eb.and([eb('request_code', '=', after.request_code), eb('shipment_code', '>', after.shipment_code)]),
          ]),
        )
        .orderBy('request_code')
        .orderBy('shipment_code')
        .limit(limit)
        .execute();
      const page = rows.map((row) => ({
        request_code: String(row.request_code),
        shipment_code: Number(row.shipment_code),
        quantity_kg: kg(row.quantity),
        status: row.status,
      }));
      return { rows: page, next: page.length === limit ? mtpCursor(page.at(-1)!) : null };
    },
  );
}
