import type { Kysely } from '@tributary/platform/db';
import type { Insertable } from 'kysely';
import type { ErpDatabase, UomConversionTable } from '../../db/schema.js';

const UOMS = 'tabUOM Conversion Detail' as const;

export async function findItem(db: Kysely<ErpDatabase>, name: string) {
  return db.selectFrom('tabItem').select(['name', 'stock_uom']).where('name', '=', name).executeTakeFirst();
}

/** Every conversion of these items, by item then UoM. */
export async function conversionsOf(db: Kysely<ErpDatabase>, items: readonly string[]) {
  if (items.length === 0) return [];
  return db
    .selectFrom(UOMS)
    .select(['parent', 'uom', 'conversion_factor'])
    .where('parent', 'in', [...items])
    .orderBy('parent')
    .orderBy('uom')
    .execute();
}

/** Replaces an item's conversions, as saving an ERPNext item replaces its `uoms` rows. */
export async function replaceConversions(trx: Kysely<ErpDatabase>, item: string, rows: Insertable<UomConversionTable>[]): Promise<void> {
  await trx.deleteFrom(UOMS).where('parent', '=', item).execute();
  if (rows.length > 0) await trx.insertInto(UOMS).values(rows).execute();
}
