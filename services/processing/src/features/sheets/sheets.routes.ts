import { Type, type Static } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { EpochMs, ItemKeyQuery, Kg, OpenObject, OptionalText, Text } from '../../http/schemas.js';
import { commandOf, type FeatureDeps } from '../deps.js';
import {
  createBlendsheetBatch,
  createFlavorsheetBatch,
  readBlendsheetBatches,
  readFlavorsheetBatches,
  updateBatch,
} from './batches.service.js';
import { createBlendsheet, createFlavorsheet, readBlendsheets, readFlavorsheets, setBatchCount } from './sheets.service.js';
import { listTraderBatches, setTraderStatus } from './trader.service.js';
import { ACCESS } from '../../access.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const ListOrDetail = Type.Union([Type.Array(OpenObject()), OpenObject()]);
const MixtureCode = Text({ maxLength: 100 });
const TraderStatus = Type.Union(
  ['TRADER_PENDING', 'TRADER_REQUESTED', 'TRADER_ELEVATED', 'TRADER_ALLOWED', 'TRADER_BLOCKED'].map((s) => Type.Literal(s)),
);
const BatchCreated = (sheetKey: 'blendsheet_no' | 'flavorsheet_no') =>
  Type.Object({ [sheetKey]: Type.String(), item_code: Type.String(), created_ts: Type.Number() });

/** Blendsheet and flavorsheet recipes, their batches, and the trader review of blend batches. */
export function registerSheetRoutes(app: HttpApp, deps: FeatureDeps): void {
  app.post(
    '/app/admin/blendsheet',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['admin'],
        summary: 'Create a blendsheet with its tealine and blendbalance mixtures',
        body: Type.Object({
          blendsheet_no: Text({ maxLength: 100 }),
          standard: Text(),
          grade: OptionalText(),
          remarks: Type.String({ maxLength: 2000 }),
          total: Kg,
          blend_code: OptionalText(),
          no_of_batches: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          mixtures: Type.Object({
            tealine: Type.Optional(
              Type.Array(Type.Object({ mixture_code: MixtureCode, no_of_bags: Type.Integer({ minimum: 1, maximum: 100_000 }) }), {
                maxItems: 500,
              }),
            ),
            blendbalance: Type.Optional(Type.Array(Type.Object({ mixture_code: MixtureCode, weight: Kg }), { maxItems: 500 })),
          }),
        }),
        response: { 200: Type.Object({ blendsheet_no: Type.String() }), ...errors },
      },
    },
    (request) => createBlendsheet(deps, commandOf(request, deps), request.body),
  );
  registerSheetListings(app, deps, {
    sheet: 'blendsheet',
    adminSummary: 'Blendsheets (list) or one with mixtures',
    deviceSummary: 'Blendsheets with batches left to make (list) or one',
    read: readBlendsheets,
  });
  app.put(
    '/app/blendsheet',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'Change the expected number of batches (never below the batches made)',
        body: Type.Object({ blendsheet_no: Text(), no_of_batches: Type.Integer({ minimum: 1, maximum: 10_000 }) }),
        response: { 200: Type.Object({ blendsheet_no: Type.String(), no_of_batches: Type.Integer() }), ...errors },
      },
    },
    (request) => setBatchCount(deps, commandOf(request, deps), request.body.blendsheet_no, request.body.no_of_batches),
  );
  app.post(
    '/app/blendsheet/batch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'Start a blend batch (generated item code <blendsheet_no>-Bnn)',
        body: Type.Object({ blendsheet_no: Text() }),
        response: { 200: BatchCreated('blendsheet_no'), ...errors },
      },
    },
    (request) => createBlendsheetBatch(deps, commandOf(request, deps), request.body.blendsheet_no),
  );
  app.get(
    '/app/blendsheet/batch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'Incomplete blend batches (list) or one with bags and ingredient allocations',
        querystring: ItemKeyQuery,
        response: { 200: ListOrDetail, ...errors },
      },
    },
    (request) => readBlendsheetBatches(deps, request.query),
  );
  app.put(
    '/app/blendsheet/batch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'Complete a blend batch, or record its QC readings (→ TRADER_PENDING)',
        body: Type.Object({
          item_code: Text(),
          created_ts: EpochMs,
          completed: Type.Optional(Type.Boolean()),
          humidity: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
          density: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
        }),
        response: { 200: OpenObject(), ...errors },
      },
    },
    (request) => updateBatch(deps, commandOf(request, deps), 'blendsheet', request.body),
  );

  app.post(
    '/app/admin/flavorsheet',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['admin'],
        summary: 'Create a flavorsheet with its mixtures',
        body: Type.Object({
          flavorsheet_no: Text({ maxLength: 100 }),
          flavor_code: Text(),
          remarks: Type.String({ maxLength: 2000 }),
          mixtures: Type.Array(Type.Object({ mixture_code: MixtureCode, weight: Kg }), { maxItems: 500 }),
        }),
        response: { 200: Type.Object({ flavorsheet_no: Type.String() }), ...errors },
      },
    },
    (request) => createFlavorsheet(deps, commandOf(request, deps), request.body),
  );
  registerSheetListings(app, deps, {
    sheet: 'flavorsheet',
    adminSummary: 'Flavorsheets with batch_created (list) or one',
    deviceSummary: 'Flavorsheets without a batch (list) or one',
    read: readFlavorsheets,
  });
  app.post(
    '/app/flavorsheet/batch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'Start the (single) batch of a flavorsheet (item code <flavorsheet_no>-F01)',
        body: Type.Object({ flavorsheet_no: Text() }),
        response: { 200: BatchCreated('flavorsheet_no'), ...errors },
      },
    },
    (request) => createFlavorsheetBatch(deps, commandOf(request, deps), request.body.flavorsheet_no),
  );
  app.get(
    '/app/flavorsheet/batch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'Incomplete flavour batches (list) or one with bags and ingredients',
        querystring: ItemKeyQuery,
        response: { 200: ListOrDetail, ...errors },
      },
    },
    (request) => readFlavorsheetBatches(deps, request.query),
  );
  app.put(
    '/app/flavorsheet/batch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'Complete a flavour batch',
        body: Type.Object({ item_code: Text(), created_ts: EpochMs, completed: Type.Boolean() }),
        response: { 200: OpenObject(), ...errors },
      },
    },
    (request) => updateBatch(deps, commandOf(request, deps), 'flavorsheet', request.body),
  );

  app.get(
    '/app/trader/blendsheet/batch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['trader'],
        summary: 'Blend batches in one trader status (default TRADER_PENDING)',
        querystring: Type.Object({ trader_status: Type.Optional(TraderStatus) }),
        response: { 200: Type.Array(OpenObject()), ...errors },
      },
    },
    (request) => listTraderBatches(deps, (request.query.trader_status ?? 'TRADER_PENDING') as never),
  );
  app.put(
    '/app/trader/blendsheet/batch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['trader'],
        summary: 'Move a blend batch through the trader workflow (role-guarded)',
        body: Type.Object({ item_code: Text(), created_ts: EpochMs, trader_status: TraderStatus }),
        response: { 200: Type.Object({ item_code: Type.String(), created_ts: Type.Number(), trader_status: Type.String() }), ...errors },
      },
    },
    (request) => setTraderStatus(deps, commandOf(request, deps), request.identity?.roles ?? [], request.body as never),
  );
}

interface SheetListings {
  sheet: 'blendsheet' | 'flavorsheet';
  adminSummary: string;
  deviceSummary: string;
  /** One sheet by number, else the list; `workLeftOnly` narrows the list to the sheets a device still works on. */
  read: (deps: FeatureDeps, sheetNo: string | undefined, workLeftOnly: boolean) => Promise<Static<typeof ListOrDetail>>;
}

/** A sheet kind's admin listing (every sheet) and device listing (sheets with work left), each also answering one sheet. */
function registerSheetListings(app: HttpApp, deps: FeatureDeps, { sheet, adminSummary, deviceSummary, read }: SheetListings): void {
  const sheetKey = `${sheet}_no` as const;
  const querystring = Type.Object({ [sheetKey]: Type.Optional(Text()) });
  const listings = [
    { path: `/app/admin/${sheet}`, tag: 'admin', summary: adminSummary, workLeftOnly: false },
    { path: `/app/${sheet}`, tag: 'device', summary: deviceSummary, workLeftOnly: true },
  ];
  for (const { path, tag, summary, workLeftOnly } of listings) {
    app.get(
      path,
      {
        config: { access: ACCESS.peer },
        schema: { tags: [tag], summary, querystring, response: { 200: ListOrDetail, ...errors } },
      },
      (request) => read(deps, request.query[sheetKey], workLeftOnly),
    );
  }
}
