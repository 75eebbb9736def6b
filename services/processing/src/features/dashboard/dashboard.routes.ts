import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { OpenObject, Text } from '../../http/schemas.js';
import type { FeatureDeps } from '../deps.js';
import {
  blendsheetPage,
  blendsheetSummaries,
  flavorsheetComposition,
  flavorsheetStats,
  herblineAnalytics,
  pendingTealine,
  pipelineCounts,
  search,
  tealineInventory,
  type SearchScope,
} from './dashboard.service.js';
import { ACCESS } from '../../access.js';
import { PROCESSING_PIPELINE_PATH, ProcessingPipelineCounts } from '@tributary/contracts';

const Envelope = OpenObject({ success: Type.Boolean(), data: Type.Unknown() });
const errors = { 400: errorResponseSchema, 404: errorResponseSchema };
const Search = Type.Object({ search: Type.String({ maxLength: 200 }) });

/** The dashboard endpoints added late to the original (§5.3), read-only, in their envelope. */
export function registerDashboardRoutes(app: HttpApp, deps: FeatureDeps): void {
  app.get(
    '/app/tealine/pending-with-calculations',
    routeOptions(ACCESS.peer, 'dashboard', 'Tealine lots still receiving bags, with progress (status=COMPLETE lists finished lots)', {
      querystring: Type.Object({
        broker: Type.Optional(Text()),
        garden: Type.Optional(Text()),
        status: Type.Optional(Type.Union([Type.Literal('PENDING'), Type.Literal('PARTIAL'), Type.Literal('COMPLETE')])),
      }),
      response: { 200: Envelope, ...errors },
    }),
    (request) => pendingTealine(deps, request.query),
  );
  app.get(
    '/app/admin/tealine/inventory-complete',
    routeOptions(ACCESS.peer, 'dashboard', 'Tealine inventory per lot: bags by status, weights, locations', {
      response: { 200: Envelope, ...errors },
    }),
    () => tealineInventory(deps),
  );
  app.get(
    '/app/flavorsheet/stats',
    routeOptions(ACCESS.peer, 'dashboard', 'Flavorsheet counts by state', { response: { 200: Envelope } }),
    () => flavorsheetStats(deps),
  );
  app.get(
    '/app/flavorsheet/:flavorsheetNo/composition',
    routeOptions(
      ACCESS.peer,
      'dashboard',
      'Mixtures of a flavorsheet with their share of the total weight (encode / in the number as %2F)',
      {
        params: Type.Object({ flavorsheetNo: Text() }),
        response: { 200: Envelope, ...errors },
      },
    ),
    (request) => flavorsheetComposition(deps, request.params.flavorsheetNo),
  );
  app.get('/app/herbline/analytics', routeOptions(ACCESS.peer, 'dashboard', 'Herbline totals', { response: { 200: Envelope } }), () =>
    herblineAnalytics(deps),
  );
  app.get(
    '/app/blendsheet/summary',
    routeOptions(ACCESS.peer, 'dashboard', 'Per blendsheet: batches, planned weight, kg blended in (ingredients) and out (output bags)', {
      response: { 200: Envelope },
    }),
    () => blendsheetSummaries(deps),
  );
  app.get(
    PROCESSING_PIPELINE_PATH,
    routeOptions(ACCESS.peer, 'dashboard', 'Counts only: lots registered, blend batches in QC and waiting for a trader', {
      response: { 200: ProcessingPipelineCounts },
    }),
    () => pipelineCounts(deps),
  );
  const searches: [string, SearchScope][] = [
    ['/app/admin/flavorsheet/search', 'admin-flavorsheet'],
    ['/app/flavorsheet/search', 'flavorsheet'],
    ['/app/flavorsheet/batch/search', 'flavorsheet-batch'],
    ['/app/admin/herbline/search', 'admin-herbline'],
    ['/app/herbline/search', 'herbline'],
  ];
  for (const [path, scope] of searches) {
    app.get(
      path,
      routeOptions(ACCESS.peer, 'dashboard', 'Case-insensitive search', { querystring: Search, response: { 200: Envelope, ...errors } }),
      (request) => search(deps, scope, request.query.search),
    );
  }
  app.get(
    '/app/admin/blendsheet/paginated',
    routeOptions(ACCESS.peer, 'dashboard', 'Blendsheets, one page at a time', {
      querystring: Type.Object({
        page: Type.Integer({ minimum: 1, default: 1 }),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
      }),
      response: { 200: OpenObject({ success: Type.Boolean(), data: Type.Array(OpenObject()), pagination: OpenObject() }), ...errors },
    }),
    (request) => blendsheetPage(deps, request.query.page, request.query.limit),
  );
}
