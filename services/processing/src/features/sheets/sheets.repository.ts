import type { Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';

/** A flavorsheet's mixtures with their weights, in mixture-code order. */
export function flavorsheetMixtures(db: Kysely<ProcessingDb>, flavorsheetNo: string) {
  return db
    .selectFrom('flavorsheet_mix')
    .select(['mixture_code', 'weight'])
    .where('flavorsheet_no', '=', flavorsheetNo)
    .orderBy('mixture_code')
    .execute();
}
