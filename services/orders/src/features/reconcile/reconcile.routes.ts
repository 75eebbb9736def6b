import { Type } from '@sinclair/typebox';
import { MTP_RECONCILE_PATHS, MtpShipmentPage, mtpCursor, parseMtpCursor } from '@tributary/contracts';
import { sql } from '@tributary/platform/db';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import type { LookupDeps } from '../../deps.js';

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
        // Grams to kg in the statement (exact numeric, trailing zeros trimmed, as `kg()` prints
        // them): a Decimal per row cost more than the rest of the route.
        .select(['request_code', 'shipment_code', sql<string>`trim_scale(quantity::numeric / 1000)::text`.as('quantity_kg'), 'status'])
        // A row comparison is a bound of the index range scan; the same test spelt with OR is a
        // filter, and every page then read the index from its start (quadratic over a run).
        .where(sql<boolean>`(request_code, shipment_code) > (${after.request_code}::bigint, ${after.shipment_code}::integer)`)
        .orderBy('request_code')
        .orderBy('shipment_code')
        .limit(limit)
        .execute();
      return { rows, next: rows.length === limit ? mtpCursor(rows.at(-1)!) : null };
    },
  );
}
