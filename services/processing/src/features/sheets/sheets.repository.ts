import { sql, type Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';

type Db = Kysely<ProcessingDb>;

export interface BlendsheetRow {
  blendsheet_no: string;
  standard: string;
  grade: string | null;
  remarks: string;
  total: string;
  blend_code: string | null;
  no_of_batches: number;
}

/** The recipe and its mix rows (the caller's transaction keeps them together). */
export async function insertBlendsheet(
  db: Db,
  row: BlendsheetRow,
  tealine: readonly { mixture_code: string; no_of_bags: number }[],
  blendbalance: readonly { mixture_code: string; weight: string }[],
): Promise<void> {
  await db.insertInto('blendsheet').values(row).execute();
  if (tealine.length) {
    await db
      .insertInto('blendsheet_mix_tealine')
      .values(tealine.map((m) => ({ blendsheet_no: row.blendsheet_no, ...m })))
      .execute();
  }
  if (blendbalance.length) {
    await db
      .insertInto('blendsheet_mix_blendbalance')
      .values(blendbalance.map((m) => ({ blendsheet_no: row.blendsheet_no, ...m })))
      .execute();
  }
}

export async function insertFlavorsheet(
  db: Db,
  row: { flavorsheet_no: string; flavor_code: string; remarks: string },
  mixtures: readonly { mixture_code: string; weight: string }[],
): Promise<void> {
  await db.insertInto('flavorsheet').values(row).execute();
  if (mixtures.length) {
    await db
      .insertInto('flavorsheet_mix')
      .values(mixtures.map((m) => ({ flavorsheet_no: row.flavorsheet_no, ...m })))
      .execute();
  }
}

/** Whether the sheet existed; the database refuses a count below the batches made. */
export async function updateBatchCount(db: Db, blendsheetNo: string, noOfBatches: number): Promise<boolean> {
  const updated = await db
    .updateTable('blendsheet')
    .set({ no_of_batches: noOfBatches })
    .where('blendsheet_no', '=', blendsheetNo)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

const createdBatches = sql<number>`(select count(*)::int from blendsheet_batch b where b.blendsheet_no = s.blendsheet_no)`;

/** Blendsheets with their batch count: one, all, or those with batches left to make. */
export function selectBlendsheets(db: Db, blendsheetNo: string | undefined, incompleteOnly: boolean) {
  let query = db.selectFrom('blendsheet as s').selectAll('s').select(createdBatches.as('created_batches')).orderBy('s.blendsheet_no');
  if (blendsheetNo !== undefined) query = query.where('s.blendsheet_no', '=', blendsheetNo);
  if (incompleteOnly && blendsheetNo === undefined) query = query.where(sql<boolean>`${createdBatches} < s.no_of_batches`);
  return query.execute();
}

/** A blendsheet's tealine and blendbalance mixtures, each in mixture-code order. */
export async function blendsheetMixtures(db: Db, blendsheetNo: string) {
  const [tealine, blendbalance] = await Promise.all([
    db
      .selectFrom('blendsheet_mix_tealine')
      .select(['mixture_code', 'no_of_bags'])
      .where('blendsheet_no', '=', blendsheetNo)
      .orderBy('mixture_code')
      .execute(),
    db
      .selectFrom('blendsheet_mix_blendbalance')
      .select(['mixture_code', 'weight'])
      .where('blendsheet_no', '=', blendsheetNo)
      .orderBy('mixture_code')
      .execute(),
  ]);
  return { tealine, blendbalance };
}

const batchCreated = sql<boolean>`exists (select 1 from flavorsheet_batch b where b.flavorsheet_no = f.flavorsheet_no)`;

/** Flavorsheets with whether their batch exists: one, all, or those still without it. */
export function selectFlavorsheets(db: Db, flavorsheetNo: string | undefined, withoutBatchOnly: boolean) {
  let query = db.selectFrom('flavorsheet as f').selectAll('f').select(batchCreated.as('batch_created')).orderBy('f.flavorsheet_no');
  if (flavorsheetNo !== undefined) query = query.where('f.flavorsheet_no', '=', flavorsheetNo);
  if (withoutBatchOnly && flavorsheetNo === undefined) query = query.where(sql<boolean>`not ${batchCreated}`);
  return query.execute();
}

/** A flavorsheet's mixtures with their weights, in mixture-code order. */
export function flavorsheetMixtures(db: Db, flavorsheetNo: string) {
  return db
    .selectFrom('flavorsheet_mix')
    .select(['mixture_code', 'weight'])
    .where('flavorsheet_no', '=', flavorsheetNo)
    .orderBy('mixture_code')
    .execute();
}
