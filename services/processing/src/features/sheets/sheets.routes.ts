import { Type, type Static } from '@sinclair/typebox';
import type { CommandContext } from '@tributary/platform/command';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { EpochMs, ItemKeyQuery, Kg, OpenObject, OptionalText, Text } from '../../http/schemas.js';
import { commandOf, type FeatureDeps } from '../deps.js';
import { createBlendsheetBatch, createFlavorsheetBatch, readBatches, updateBatch } from './batches.service.js';
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
    routeOptions(ACCESS.peer, 'admin', 'Create a blendsheet with its tealine and blendbalance mixtures', {
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
    }),
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
    routeOptions(ACCESS.peer, 'device', 'Change the expected number of batches (never below the batches made)', {
      body: Type.Object({ blendsheet_no: Text(), no_of_batches: Type.Integer({ minimum: 1, maximum: 10_000 }) }),
      response: { 200: Type.Object({ blendsheet_no: Type.String(), no_of_batches: Type.Integer() }), ...errors },
    }),
    (request) => setBatchCount(deps, commandOf(request, deps), request.body.blendsheet_no, request.body.no_of_batches),
  );
  registerSheetBatches(app, deps, {
    sheet: 'blendsheet',
    startSummary: 'Start a blend batch (generated item code <blendsheet_no>-Bnn)',
    readSummary: 'Incomplete blend batches (list) or one with bags and ingredient allocations',
    start: createBlendsheetBatch,
  });
  app.put(
    '/app/blendsheet/batch',
    routeOptions(ACCESS.peer, 'device', 'Complete a blend batch, or record its QC readings (→ TRADER_PENDING)', {
      body: Type.Object({
        item_code: Text(),
        created_ts: EpochMs,
        completed: Type.Optional(Type.Boolean()),
        humidity: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
        density: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
      }),
      response: { 200: OpenObject(), ...errors },
    }),
    (request) => updateBatch(deps, commandOf(request, deps), 'blendsheet', request.body),
  );

  app.post(
    '/app/admin/flavorsheet',
    routeOptions(ACCESS.peer, 'admin', 'Create a flavorsheet with its mixtures', {
      body: Type.Object({
        flavorsheet_no: Text({ maxLength: 100 }),
        flavor_code: Text(),
        remarks: Type.String({ maxLength: 2000 }),
        mixtures: Type.Array(Type.Object({ mixture_code: MixtureCode, weight: Kg }), { maxItems: 500 }),
      }),
      response: { 200: Type.Object({ flavorsheet_no: Type.String() }), ...errors },
    }),
    (request) => createFlavorsheet(deps, commandOf(request, deps), request.body),
  );
  registerSheetListings(app, deps, {
    sheet: 'flavorsheet',
    adminSummary: 'Flavorsheets with batch_created (list) or one',
    deviceSummary: 'Flavorsheets without a batch (list) or one',
    read: readFlavorsheets,
  });
  registerSheetBatches(app, deps, {
    sheet: 'flavorsheet',
    startSummary: 'Start the (single) batch of a flavorsheet (item code <flavorsheet_no>-F01)',
    readSummary: 'Incomplete flavour batches (list) or one with bags and ingredients',
    start: createFlavorsheetBatch,
  });
  app.put(
    '/app/flavorsheet/batch',
    routeOptions(ACCESS.peer, 'device', 'Complete a flavour batch', {
      body: Type.Object({ item_code: Text(), created_ts: EpochMs, completed: Type.Boolean() }),
      response: { 200: OpenObject(), ...errors },
    }),
    (request) => updateBatch(deps, commandOf(request, deps), 'flavorsheet', request.body),
  );

  app.get(
    '/app/trader/blendsheet/batch',
    routeOptions(ACCESS.peer, 'trader', 'Blend batches in one trader status (default TRADER_PENDING)', {
      querystring: Type.Object({ trader_status: Type.Optional(TraderStatus) }),
      response: { 200: Type.Array(OpenObject()), ...errors },
    }),
    (request) => listTraderBatches(deps, (request.query.trader_status ?? 'TRADER_PENDING') as never),
  );
  app.put(
    '/app/trader/blendsheet/batch',
    routeOptions(ACCESS.peer, 'trader', 'Move a blend batch through the trader workflow (role-guarded)', {
      body: Type.Object({ item_code: Text(), created_ts: EpochMs, trader_status: TraderStatus }),
      response: { 200: Type.Object({ item_code: Type.String(), created_ts: Type.Number(), trader_status: Type.String() }), ...errors },
    }),
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
    app.get(path, routeOptions(ACCESS.peer, tag, summary, { querystring, response: { 200: ListOrDetail, ...errors } }), (request) =>
      read(deps, request.query[sheetKey], workLeftOnly),
    );
  }
}

interface SheetBatches {
  sheet: 'blendsheet' | 'flavorsheet';
  startSummary: string;
  readSummary: string;
  start: (deps: FeatureDeps, actor: CommandContext, sheetNo: string) => Promise<Static<ReturnType<typeof BatchCreated>>>;
}

/** A sheet kind's device routes to start a batch of a sheet and to read its incomplete batches. */
function registerSheetBatches(app: HttpApp, deps: FeatureDeps, { sheet, startSummary, readSummary, start }: SheetBatches): void {
  const sheetKey = `${sheet}_no` as const;
  const path = `/app/${sheet}/batch`;
  // A record over the one key types the body by it, where a computed key would widen it to an index signature.
  const body = Type.Record(Type.Literal(sheetKey), Text());
  app.post(
    path,
    routeOptions(ACCESS.peer, 'device', startSummary, { body, response: { 200: BatchCreated(sheetKey), ...errors } }),
    (request) => start(deps, commandOf(request, deps), request.body[sheetKey]),
  );
  app.get(
    path,
    routeOptions(ACCESS.peer, 'device', readSummary, { querystring: ItemKeyQuery, response: { 200: ListOrDetail, ...errors } }),
    (request) => readBatches(deps, sheet, request.query),
  );
}
