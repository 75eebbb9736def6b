import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { guard } from '../../access.js';
import type { ErpDeps } from '../../shared/context.js';
import { DocName, Nullable, Paging, page } from '../../shared/schemas.js';
import { listLowStock } from './low-stock.service.js';

const LowStockQuery = Type.Object(
  { item: Type.Optional(DocName()), warehouse: Type.Optional(DocName()), ...Paging },
  { additionalProperties: false },
);

const LowStockOut = Type.Object({
  item_code: Type.String(),
  warehouse: Type.String(),
  actual_qty: Type.String({ description: 'ledger balance of every batch of the item in the warehouse' }),
  reorder_level: Type.String(),
  safety_stock: Type.String(),
  shortfall: Type.String({ description: 'reorder_level − actual_qty' }),
  suggested_qty: Type.String({ description: 'reorder_qty, else max(reorder_level − actual_qty, reorder_level / 2)' }),
  alerted: Type.Boolean({ description: 'erp.stock.low was emitted for the current crossing' }),
  crossed_at: Nullable(Type.String()),
});

export function registerLowStockRoutes(app: HttpApp, deps: Pick<ErpDeps, 'db' | 'config'>): void {
  app.get(
    '/inventory/low-stock',
    {
      config: { access: guard(deps.config, 'read') },
      schema: {
        tags: ['stock'],
        summary: 'Items at or below their reorder level, per warehouse',
        querystring: LowStockQuery,
        response: { 200: page(LowStockOut), 400: errorResponseSchema, 403: errorResponseSchema },
      },
    },
    async (request) => listLowStock(deps, request.query),
  );
}
