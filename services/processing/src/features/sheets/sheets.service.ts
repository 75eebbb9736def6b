import type { CommandContext } from '@tributary/platform/command';
import { kg, parseKg, RECIPE_WEIGHT_MAX, TOTAL_MAX } from '../../domain/values.js';
import { emit, ProcessingEvents } from '../../events.js';
import { ProcessingError } from '../../errors.js';
import { runCommand, type FeatureDeps } from '../deps.js';
import {
  blendsheetMixtures,
  flavorsheetMixtures,
  insertBlendsheet,
  insertFlavorsheet,
  selectBlendsheets,
  selectFlavorsheets,
  updateBatchCount,
} from './sheets.repository.js';

export interface BlendsheetInput {
  blendsheet_no: string;
  standard: string;
  grade?: string | null;
  remarks: string;
  total: number | string;
  blend_code?: string | null;
  no_of_batches?: number;
  mixtures: {
    tealine?: { mixture_code: string; no_of_bags: number }[];
    blendbalance?: { mixture_code: string; weight: number | string }[];
  };
}
export interface FlavorsheetInput {
  flavorsheet_no: string;
  flavor_code: string;
  remarks: string;
  mixtures: { mixture_code: string; weight: number | string }[];
}

function refuseDuplicateCodes(codes: string[], field: string): void {
  const seen = new Set<string>();
  for (const code of codes) {
    if (seen.has(code))
      throw ProcessingError.MIXTURE_DUPLICATE(`${field} lists mixture_code ${code} twice`, { details: { field, mixture_code: code } });
    seen.add(code);
  }
}

/** The recipe and its mix rows in one transaction. */
export async function createBlendsheet(
  deps: FeatureDeps,
  actor: CommandContext,
  input: BlendsheetInput,
): Promise<{ blendsheet_no: string }> {
  const tealine = input.mixtures.tealine ?? [];
  const blendbalance = (input.mixtures.blendbalance ?? []).map((m, i) => ({
    mixture_code: m.mixture_code,
    weight: kg(parseKg(m.weight, `mixtures.blendbalance[${i}].weight`, { max: RECIPE_WEIGHT_MAX })),
  }));
  refuseDuplicateCodes(
    tealine.map((m) => m.mixture_code),
    'mixtures.tealine',
  );
  refuseDuplicateCodes(
    blendbalance.map((m) => m.mixture_code),
    'mixtures.blendbalance',
  );
  const row = {
    blendsheet_no: input.blendsheet_no,
    standard: input.standard,
    grade: input.grade ?? null,
    remarks: input.remarks,
    total: kg(parseKg(input.total, 'total', { max: TOTAL_MAX, allowZero: true })),
    blend_code: input.blend_code ?? null,
    no_of_batches: input.no_of_batches ?? 1,
  };
  await runCommand(deps, actor, async (trx) => {
    await insertBlendsheet(trx, row, tealine, blendbalance);
    await emit(trx, [
      {
        aggregateType: 'blendsheet',
        aggregateId: row.blendsheet_no,
        type: ProcessingEvents.sheetCreated,
        payload: { ...row, mixtures: { tealine, blendbalance } },
      },
    ]);
  });
  return { blendsheet_no: row.blendsheet_no };
}

export async function createFlavorsheet(
  deps: FeatureDeps,
  actor: CommandContext,
  input: FlavorsheetInput,
): Promise<{ flavorsheet_no: string }> {
  const mixtures = input.mixtures.map((m, i) => ({
    mixture_code: m.mixture_code,
    weight: kg(parseKg(m.weight, `mixtures[${i}].weight`, { max: RECIPE_WEIGHT_MAX })),
  }));
  refuseDuplicateCodes(
    mixtures.map((m) => m.mixture_code),
    'mixtures',
  );
  const row = { flavorsheet_no: input.flavorsheet_no, flavor_code: input.flavor_code, remarks: input.remarks };
  await runCommand(deps, actor, async (trx) => {
    await insertFlavorsheet(trx, row, mixtures);
    await emit(trx, [
      { aggregateType: 'flavorsheet', aggregateId: row.flavorsheet_no, type: ProcessingEvents.sheetCreated, payload: { ...row, mixtures } },
    ]);
  });
  return { flavorsheet_no: row.flavorsheet_no };
}

/** `PUT /app/blendsheet`: the batch count may grow or shrink, never below the batches made. */
export async function setBatchCount(deps: FeatureDeps, actor: CommandContext, blendsheetNo: string, noOfBatches: number) {
  await runCommand(deps, actor, async (trx) => {
    if (!(await updateBatchCount(trx, blendsheetNo, noOfBatches)))
      throw ProcessingError.BLENDSHEET_NOT_FOUND(`blendsheet ${blendsheetNo} does not exist`);
    await emit(trx, [
      {
        aggregateType: 'blendsheet',
        aggregateId: blendsheetNo,
        type: ProcessingEvents.sheetChanged,
        payload: { blendsheet_no: blendsheetNo, no_of_batches: noOfBatches },
      },
    ]);
  });
  return { blendsheet_no: blendsheetNo, no_of_batches: noOfBatches };
}

/** List (optionally only sheets with batches left to make) or the detail with mixtures. */
export async function readBlendsheets(deps: FeatureDeps, blendsheetNo: string | undefined, incompleteOnly: boolean) {
  const sheets = await selectBlendsheets(deps.db, blendsheetNo, incompleteOnly);
  if (blendsheetNo === undefined) {
    return sheets.map(({ blendsheet_no, standard, no_of_batches, created_batches }) => ({
      blendsheet_no,
      standard,
      no_of_batches,
      created_batches,
    }));
  }
  const sheet = sheets[0];
  if (!sheet) throw ProcessingError.BLENDSHEET_NOT_FOUND(`blendsheet ${blendsheetNo} does not exist`);
  const mixtures = await blendsheetMixtures(deps.db, blendsheetNo);
  return { ...sheet, mixtures };
}

/** Admin list shows batch_created; the device list shows only sheets without their batch. */
export async function readFlavorsheets(deps: FeatureDeps, flavorsheetNo: string | undefined, withoutBatchOnly: boolean) {
  const sheets = await selectFlavorsheets(deps.db, flavorsheetNo, withoutBatchOnly);
  if (flavorsheetNo === undefined) {
    return sheets.map(({ flavorsheet_no, flavor_code, batch_created }) =>
      withoutBatchOnly ? { flavorsheet_no, flavor_code } : { flavorsheet_no, flavor_code, batch_created },
    );
  }
  const sheet = sheets[0];
  if (!sheet) throw ProcessingError.FLAVORSHEET_NOT_FOUND(`flavorsheet ${flavorsheetNo} does not exist`);
  const mixtures = await flavorsheetMixtures(deps.db, flavorsheetNo);
  return { ...sheet, mixtures };
}
